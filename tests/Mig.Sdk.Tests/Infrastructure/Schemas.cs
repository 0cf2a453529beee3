namespace Mig.Sdk.Tests.Infrastructure;

/// <summary>Schema files the consumers use.</summary>
internal static class Schemas
{
    /// <summary>One table and a seed.</summary>
    public const string Student = """
        using Mig;

        namespace SchoolApp.Schema;

        [AutoIncPK(nameof(Id))]
        [Unique(nameof(Email))]
        public sealed record Student(long Id, string Name, string Email);

        public static class Seeds
        {
            public static readonly Student[] Students = [new(1, "Ada", "ada@example.org"), new(2, "Grace", "grace@example.org")];
        }
        """;

    /// <summary><see cref="Student"/> at v2: Student gains Age, filled with 7 from its default (seeds give 7 too).</summary>
    public const string StudentWithAgeDefault = """
        using Mig;

        namespace SchoolApp.Schema;

        [AutoIncPK(nameof(Id))]
        [Unique(nameof(Email))]
        [Default(nameof(Age), "7")]
        public sealed record Student(long Id, string Name, string Email, long Age);

        public static class Seeds
        {
            public static readonly Student[] Students = [new(1, "Ada", "ada@example.org", 7), new(2, "Grace", "grace@example.org", 7)];
        }
        """;

    /// <summary><see cref="Student"/> with one more column.</summary>
    public const string StudentWithAge = """
        using Mig;

        namespace SchoolApp.Schema;

        [AutoIncPK(nameof(Id))]
        [Unique(nameof(Email))]
        public sealed record Student(long Id, string Name, string Email, long Age);

        public static class Seeds
        {
            public static readonly Student[] Students = [new(1, "Ada", "ada@example.org", 36), new(2, "Grace", "grace@example.org", 85)];
        }
        """;

    /// <summary>A second, independent table, in a file of its own.</summary>
    public const string Room = """
        using Mig;

        namespace SchoolApp.Schema;

        [PK(nameof(Code))]
        public sealed record Room(string Code, long Seats);
        """;
}
