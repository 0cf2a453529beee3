using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace Mig.Benchmarks.Infrastructure;

/// <summary>
/// One short job for the whole suite (about 10 minutes on 2 cores): one launch,
/// 3 warm-up and 12 measured iterations of 200 ms, no overhead evaluation (the
/// operations take microseconds, the harness nanoseconds). Columns: the median
/// and its ratio to the hand-written ADO.NET baseline of the same group,
/// allocations. DefaultConfig already exports GitHub markdown (results/*-report-github.md). The mean-based Ratio, Error and RatioSD are hidden.
/// </summary>
internal static class BenchConfig
{
    public static IConfig Create() => ManualConfig.Create(DefaultConfig.Instance)
        .AddJob(Job.Default
            .WithId("Short")
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(12)
            .WithIterationTime(TimeInterval.FromMilliseconds(200))
            .WithEvaluateOverhead(false))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddColumn(StatisticColumn.Median, new MedianRatioColumn())
        .HideColumns("Error", "Ratio", "RatioSD")
        .WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared))
        .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value));
}

/// <summary>Median / the baseline's median, in the same logical group (same parameter values).</summary>
internal sealed class MedianRatioColumn : IColumn
{
    public string Id => nameof(MedianRatioColumn);
    public string ColumnName => "Ratio (median)";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Baseline;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Median of this method / median of the baseline (hand-written ADO.NET) with the same parameters";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        var current = summary[benchmarkCase]?.ResultStatistics;
        var reference = baseline is null ? null : summary[baseline]?.ResultStatistics;
        if (current is null || reference is null || reference.Median == 0) return "?";
        return (current.Median / reference.Median).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
