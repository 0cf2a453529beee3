using Mig.Migration;

// With MIG_FAULT_PAUSE_AT=<point>, prints MIG_FAULT_PAUSED <point> when the
// operation gets there and waits to be killed; otherwise the plain tool.
var pauseAt = Environment.GetEnvironmentVariable("MIG_FAULT_PAUSE_AT");
if (!string.IsNullOrEmpty(pauseAt))
{
    FaultPoint.Listener = name =>
    {
        if (name != pauseAt) return;
        Console.WriteLine($"MIG_FAULT_PAUSED {name}");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
    };
}
return Mig.Tasks.Tool.Program.Main(args);
