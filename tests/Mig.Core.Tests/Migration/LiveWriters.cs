namespace Mig.Core.Tests.Migration;

/// <summary>
/// Writers that each write on a thread of their own, one transaction after another with a pause
/// between them, until the old file refuses them or <see cref="Stop"/>; failures other than a refusal
/// are rethrown by <see cref="Stop"/>.
/// </summary>
internal sealed class LiveWriters : IDisposable
{
    private readonly List<Thread> threads = [];
    private readonly List<Exception> failures = [];
    private volatile bool stopping;

    public LiveWriters(IEnumerable<IRandomWriter> writers, TimeSpan pause, int ops = 3)
    {
        foreach (var w in writers)
        {
            var t = new Thread(() =>
            {
                try
                {
                    while (!stopping && w.Step(ops)) Thread.Sleep(pause);
                }
                catch (Exception e)
                {
                    lock (failures) failures.Add(new InvalidOperationException($"{w.Tag}: {HotWriter.Describe(e)} {w.FailureContext}", e));
                }
            }) { IsBackground = true, Name = w.Tag };
            threads.Add(t);
            t.Start();
        }
    }

    /// <summary>Waits until every writer was refused (writes paused), within <paramref name="patience"/>.</summary>
    public void WaitUntilRefused(TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        foreach (var t in threads)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.IsTrue(t.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero), $"writer {t.Name} was not refused within {patience}");
        }
        Stop();
    }

    /// <summary>Stops every writer and rethrows what failed.</summary>
    public void Stop()
    {
        stopping = true;
        foreach (var t in threads) t.Join();
        lock (failures)
            if (failures.Count > 0) throw new AggregateException(failures);
    }

    public void Dispose()
    {
        stopping = true;
        foreach (var t in threads) t.Join();
    }
}
