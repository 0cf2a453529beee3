using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Mig.Sdk.Tests.Infrastructure;

/// <summary>How to run a `dotnet` child process.</summary>
internal sealed record DotNetOptions
{
    public static DotNetOptions Default { get; } = new();

    /// <summary>MSBuild node reuse on (MSBUILDDISABLENODEREUSE=0 and -nodeReuse:true); off by default.</summary>
    public bool NodeReuse { get; init; }

    /// <summary>Extra environment variables; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>One item of a <c>-getTargetResult</c> answer.</summary>
internal sealed record TargetItem(string Identity, IReadOnlyDictionary<string, string> Metadata)
{
    public string this[string name] => Metadata.TryGetValue(name, out var value)
        ? value
        : throw new AssertFailedException($"Item {Identity} has no metadata {name}; it has {string.Join(", ", Metadata.Keys)}.");
}

/// <summary>A target's result from <c>-getTargetResult</c>: Success or Failure, and its returned items.</summary>
internal sealed record TargetResult(string Result, IReadOnlyList<TargetItem> Items);

/// <summary>A finished `dotnet` command.</summary>
internal sealed record DotNetResult(string CommandLine, string WorkingDirectory, ProcessResult Process)
{
    public int ExitCode => Process.ExitCode;
    public string StdOut => Process.StdOut;
    public string StdErr => Process.StdErr;

    /// <summary>Everything printed, both streams (errors go to stderr when -getTargetResult is used).</summary>
    public string Output => StdOut + "\n" + StdErr;

    /// <summary>
    /// The result of <paramref name="target"/> from the <c>-getTargetResult</c> JSON, or
    /// null when stdout holds none. With -getTargetResult, stdout is only the JSON when
    /// the build succeeds; on failure it may come with log text, or not at all.
    /// </summary>
    public TargetResult? TargetResult(string target)
    {
        foreach (var root in JsonObjects(StdOut))
        {
            using (root)
            {
                if (!root.RootElement.TryGetProperty("TargetResults", out var results) || !results.TryGetProperty(target, out var result)) continue;
                var items = new List<TargetItem>();
                if (result.TryGetProperty("Items", out var array) && array.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in array.EnumerateArray())
                    {
                        var metadata = item.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);
                        items.Add(new TargetItem(metadata.GetValueOrDefault("Identity", ""), metadata));
                    }
                }
                return new TargetResult(result.TryGetProperty("Result", out var r) ? r.GetString() ?? "" : "", items);
            }
        }
        return null;
    }

    /// <summary>The items <paramref name="target"/> returned; fails the test unless the build and the target succeeded.</summary>
    public IReadOnlyList<TargetItem> SucceededWith(string target)
    {
        Assert.AreEqual(0, ExitCode, $"The build should succeed.\n{this}");
        var result = TargetResult(target) ?? throw new AssertFailedException($"No -getTargetResult:{target} JSON on stdout.\n{this}");
        Assert.AreEqual("Success", result.Result, $"{target} should succeed.\n{this}");
        return result.Items;
    }

    /// <summary>The single item <paramref name="target"/> returned.</summary>
    public TargetItem SingleItem(string target)
    {
        var items = SucceededWith(target);
        Assert.HasCount(1, items, $"{target} should return one item.\n{this}");
        return items[0];
    }

    /// <summary>Fails the test unless the command failed.</summary>
    public void AssertFailed() => Assert.AreNotEqual(0, ExitCode, $"The build should fail.\n{this}");

    private static IEnumerable<JsonDocument> JsonObjects(string text)
    {
        for (var start = text.IndexOf('{', StringComparison.Ordinal); start >= 0; start = text.IndexOf('{', start + 1))
        {
            if (start > 0 && text[start - 1] != '\n') continue; // the JSON starts a line
            JsonDocument? document = null;
            try
            {
                var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text[start..]), new JsonReaderOptions { AllowMultipleValues = true });
                document = JsonDocument.ParseValue(ref reader);
            }
            catch (JsonException)
            {
            }
            if (document is not null) yield return document;
        }
    }

    /// <summary>The command and what it printed, for assertion messages.</summary>
    public override string ToString() =>
        $"> {CommandLine}   (in {WorkingDirectory}; exit {ExitCode}; {Process.Elapsed.TotalSeconds:F1} s)\n--- stdout\n{Clip(StdOut)}\n--- stderr\n{Clip(StdErr)}";

    private static string Clip(string text) => text.Length <= 12000 ? text : "...\n" + text[^12000..];
}

/// <summary>Runs the .NET CLI the way a user or a pipeline does.</summary>
internal static class DotNet
{
    private static string Host =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>`dotnet build` in <paramref name="directory"/>, with the switches of <see cref="MSBuildSwitches"/>.</summary>
    public static DotNetResult Build(string directory, IEnumerable<string> arguments, DotNetOptions? options = null) =>
        Run(directory, ["build", .. MSBuildSwitches(options ?? DotNetOptions.Default), .. arguments], options);

    /// <summary>`dotnet restore` in <paramref name="directory"/>.</summary>
    public static DotNetResult Restore(string directory, DotNetOptions? options = null) =>
        Run(directory, ["restore", .. MSBuildSwitches(options ?? DotNetOptions.Default)], options);

    /// <summary>No logo, no terminal logger (plain, parseable output), node reuse as the options say.</summary>
    private static string[] MSBuildSwitches(DotNetOptions options) =>
        ["-nologo", "-tl:off", options.NodeReuse ? "-nodeReuse:true" : "-nodeReuse:false"];

    /// <summary>`dotnet arguments...` in <paramref name="directory"/>, in the environment of <see cref="ChildEnvironment"/>.</summary>
    public static DotNetResult Run(string directory, IReadOnlyList<string> arguments, DotNetOptions? options = null)
    {
        options ??= DotNetOptions.Default;
        var psi = new ProcessStartInfo(Host) { WorkingDirectory = directory };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        ChildEnvironment.Apply(psi.Environment, options);
        var result = ProcessRunner.Run(psi, options.Timeout);
        return new DotNetResult("dotnet " + string.Join(' ', psi.ArgumentList), directory, result);
    }
}
