using BenchmarkDotNet.Running;
using Mig.Benchmarks;
using Mig.Benchmarks.Infrastructure;

// dotnet run -c Release -- --filter '*' [--artifacts <dir>]   runs the suite (any BenchmarkDotNet option works)
// dotnet run -c Release -- --verify                            only checks that every contender does the same work
// dotnet run -c Release -- --paired <file.md> [case]           paired, interleaved ratios (see Infrastructure/Paired.cs),
//                                                              of the cases whose name contains [case], or all
if (args is ["--verify"])
{
    foreach (var n in new[] { 1, 3 })
    {
        foreach (var bench in new BenchBase[]
        {
            new InsertBenchmarks { RowsPerTransaction = n },
            new SelectOneBenchmarks { QueriesPerTransaction = n },
            new SelectManyBenchmarks(),
            new UpdateBenchmarks { UpdatesPerTransaction = n },
            new TransactionBenchmarks { Write = n != 1 },
            new OverheadBenchmarks(),
            new CountByBenchmarks(),
            new SelectPageBenchmarks(),
            new SelectRangeBenchmarks(),
            new SelectInBenchmarks(),
            new InsertManyBenchmarks(),
        })
        {
            bench.GlobalSetup(); // runs Verify
            bench.GlobalCleanup();
            Console.WriteLine($"{bench.GetType().Name} ({n}): every contender verified");
        }
    }
    return 0;
}

if (args is ["--paired", var pairedOut, ..] && args.Length <= 3)
{
    File.WriteAllText(pairedOut, Paired.Run(args.Length == 3 ? args[2] : null));
    Console.WriteLine($"Paired results: {pairedOut}");
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(BenchBase).Assembly).Run(args, BenchConfig.Create());
return 0;
