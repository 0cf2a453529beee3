using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mig.Sdk.Tests.Infrastructure;

/// <summary>
/// A built web app (samples/WebApi) running as a real process on a free loopback port, with the
/// run's marker in its environment. Its output is kept for assertion messages. Disposing ends it
/// by its id and waits.
/// </summary>
internal sealed class WebApp : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private WebApp(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the app printed so far (its logs).</summary>
    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    /// <summary>
    /// Starts <paramref name="dll"/> in <paramref name="workingDirectory"/> (its content root) with
    /// <paramref name="arguments"/> and waits until it answers HTTP (any status).
    /// </summary>
    public static async Task<WebApp> StartAsync(string dll, string workingDirectory, params string[] arguments)
    {
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        ChildEnvironment.Apply(psi.Environment, DotNetOptions.Default);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {dll}");
        var app = new WebApp(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{dll} exited with {process.ExitCode} before it answered:\n{app.Output}");
            try
            {
                using var response = await probe.GetAsync("health");
                return app;
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
        process.Dispose();
    }
}
