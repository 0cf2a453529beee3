using System.Globalization;

namespace Mig.CodeGen;

/// <summary>
/// The one helper of a generated file, <c>Completed.Run</c>: it runs a method's work at once
/// and hands back its result as a completed task, an exception as a faulted one. SQLite calls
/// complete synchronously, so no method needs an async state machine, and the try/catch is
/// written once instead of in every method. The work is a static lambda taking the method's
/// own arguments, so a call allocates nothing and captures nothing. The class is file-local
/// (it adds nothing to Mig's API or to the user's) and holds only the overloads the file
/// calls: one per number of arguments, with a result or without.
/// </summary>
internal sealed class CompletedTasks
{
    /// <summary>A <c>System.Func</c> takes at most 16 arguments: the transaction and 15 more.</summary>
    private const int MaxFuncArguments = 15;

    private const string Txn = "global::Mig.MigTransaction";
    private const string Task = "global::System.Threading.Tasks.Task";
    private readonly SortedSet<(int Arguments, bool HasResult)> used = [];

    /// <summary>The method to call for work over the transaction and <paramref name="arguments"/> more, recorded as used.</summary>
    public string Run(int arguments, bool hasResult)
    {
        used.Add((arguments, hasResult));
        return "global::Mig.Generated.Completed.Run";
    }

    /// <summary>Writes the helper, if any method calls it.</summary>
    public void Emit(CodeWriter w)
    {
        if (used.Count == 0) return;
        w.Line();
        w.Open("namespace Mig.Generated");
        w.Line("/// <summary>");
        w.Line("/// Runs the work of a generated method at once and returns a completed task (an exception as a");
        w.Line("/// faulted one): SQLite calls complete synchronously, so no async state machine is needed.");
        w.Line("/// </summary>");
        w.Open("file static class Completed");
        var first = true;
        foreach (var (n, hasResult) in used)
        {
            if (!first) w.Line();
            first = false;
            EmitRun(w, n, hasResult);
        }
        w.Close();
        w.Close();
    }

    private static void EmitRun(CodeWriter w, int n, bool hasResult)
    {
        var types = Enumerable.Range(1, n).Select(i => "T" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var names = Enumerable.Range(1, n).Select(i => "a" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var typeParameters = hasResult ? [.. types, "TResult"] : types;
        var generic = typeParameters.Count == 0 ? "" : $"<{string.Join(", ", typeParameters)}>";
        var work = n <= MaxFuncArguments
            ? $"global::System.{(hasResult ? "Func" : "Action")}<{string.Join(", ", [Txn, .. typeParameters])}>"
            : (hasResult ? "Work" : "VoidWork") + generic;
        var arguments = string.Concat(types.Zip(names, (t, a) => $", {t} {a}"));
        var call = $"work(txn{string.Concat(names.Select(a => ", " + a))})";
        if (n > MaxFuncArguments)
            w.Line($"public delegate {(hasResult ? "TResult" : "void")} {(hasResult ? "Work" : "VoidWork")}{generic}({Txn} txn{arguments});");
        w.Open($"public static {Task}{(hasResult ? "<TResult>" : "")} Run{generic}({Txn} txn{arguments}, global::System.Threading.CancellationToken cancellationToken, {work} work)");
        w.Open("try");
        w.Line("cancellationToken.ThrowIfCancellationRequested();");
        if (hasResult)
        {
            w.Line($"return {Task}.FromResult({call});");
        }
        else
        {
            w.Line(call + ";");
            w.Line($"return {Task}.CompletedTask;");
        }
        w.Close();
        // A cancelled token gives a canceled task, as an async method's would, not a faulted one.
        w.Open("catch (global::System.OperationCanceledException) when (cancellationToken.IsCancellationRequested)");
        w.Line($"return {Task}.FromCanceled{(hasResult ? "<TResult>" : "")}(cancellationToken);");
        w.Close();
        w.Open("catch (global::System.Exception e)");
        w.Line($"return {Task}.FromException{(hasResult ? "<TResult>" : "")}(e);");
        w.Close();
        w.Close();
    }
}
