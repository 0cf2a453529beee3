using School.Schema;

namespace WebApi;

/// <summary>The body of POST and PUT /students.</summary>
public sealed record StudentInput(string Name, long Age, string Email, string? Nickname, Level Level = Level.Freshman)
{
    /// <summary>What is wrong with the input, by field, or null.</summary>
    public Dictionary<string, string[]>? Problem()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name)) errors["name"] = ["required"];
        if (string.IsNullOrWhiteSpace(Email) || !Email.Contains('@', StringComparison.Ordinal)) errors["email"] = ["an address with @"];
        if (Age is < 0 or > 150) errors["age"] = ["0 to 150"];
        if (!Enum.IsDefined(Level)) errors["level"] = ["Freshman, Sophomore, Junior or Senior"];
        return errors.Count == 0 ? null : errors;
    }

    public Student ToStudent(long id, DateTimeOffset enrolledAt) => new(id, Name, Age, Email, Level, enrolledAt, Nickname);
}
