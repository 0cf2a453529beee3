using Microsoft.Data.Sqlite;

/// <summary>
/// A second program writing to the same file without Mig, for the hot-migration demo:
/// plain SQL on its own connection, as a shell script or another language's app would.
/// Its writes are captured by the triggers like any other. Every department it committed
/// is appended to a ledger; a write refused while the old file drains (the guard's abort)
/// is not committed and not in the ledger.
/// </summary>
internal static class RawWriter
{
    public static async Task<int> RunAsync(string database, string ledgerPath, string stopPath)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using (var timeout = connection.CreateCommand())
        {
            timeout.CommandText = "PRAGMA busy_timeout = 5000";
            await timeout.ExecuteNonQueryAsync();
        }
        await using var ledger = new StreamWriter(ledgerPath, append: false) { AutoFlush = true };
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO department(code, title) VALUES (@code, @title)";
        var code = insert.Parameters.Add("@code", SqliteType.Text);
        var title = insert.Parameters.Add("@title", SqliteType.Text);
        int committed = 0, refused = 0;
        for (var i = 0; !File.Exists(stopPath); i++)
        {
            code.Value = $"R{i}";
            title.Value = $"Raw {i}";
            try
            {
                await insert.ExecuteNonQueryAsync();
                await ledger.WriteLineAsync($"R{i}");
                committed++;
            }
            catch (SqliteException)
            {
                refused++; // paused by the drain's guards (or a lock held too long): not committed
            }
            await Task.Delay(20);
        }
        Console.WriteLine($"raw writer: {committed} inserts committed, {refused} refused");
        return 0;
    }
}
