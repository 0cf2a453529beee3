using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Mig.Benchmarks.Schema;

namespace Mig.Benchmarks.Infrastructure;

/// <summary>
/// EF Core over an already open connection to the same file, mapped onto the
/// tables Mig created (the same record types, snake_case names). One context
/// lives for the whole benchmark, the cheapest way to use EF Core; writes clear
/// the change tracker after each SaveChanges so it never grows. EF Core never
/// opens a transaction of its own: it runs inside the same prepared
/// BEGIN ... COMMIT as everyone else.
/// </summary>
public sealed class BenchContext : DbContext
{
    private readonly SqliteConnection connection;

    public BenchContext(SqliteConnection connection)
    {
        this.connection = connection;
        Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
    }

    public DbSet<Person> People => Set<Person>();

    public DbSet<Entry> Entries => Set<Entry>();

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.UseSqlite(connection);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Person>(e =>
        {
            e.ToTable("person");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).HasColumnName("id");
            e.Property(p => p.Name).HasColumnName("name");
            e.Property(p => p.Email).HasColumnName("email");
            e.Property(p => p.Team).HasColumnName("team");
            e.Property(p => p.Score).HasColumnName("score");
            e.Property(p => p.Note).HasColumnName("note");
        });
        modelBuilder.Entity<Entry>(e =>
        {
            e.ToTable("entry");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).HasColumnName("id");
            e.Property(p => p.Kind).HasColumnName("kind");
            e.Property(p => p.Seq).HasColumnName("seq");
            e.Property(p => p.Amount).HasColumnName("amount");
            e.Property(p => p.Note).HasColumnName("note");
        });
    }
}
