using Microsoft.Data.Sqlite;

// Lists the tables of a Mig database with their row counts:
//   dotnet run --project samples/School -- <path to school-<hash>.db>
if (args.Length != 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: School <database file>   (create one with: dotnet build -t:MigInit)");
    return 2;
}
using var connection = new SqliteConnection($"Data Source={args[0]};Mode=ReadOnly");
connection.Open();
using var tables = connection.CreateCommand();
tables.CommandText = "SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY type, name";
using var reader = tables.ExecuteReader();
while (reader.Read())
{
    using var count = connection.CreateCommand();
    count.CommandText = $"SELECT count(*) FROM \"{reader.GetString(0)}\"";
    Console.WriteLine($"{reader.GetString(1),-5} {reader.GetString(0),-24} {count.ExecuteScalar()} rows");
}
return 0;
