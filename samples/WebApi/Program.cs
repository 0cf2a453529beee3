using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Mig;
using Mig.AspNetCore;
using School.Schema;
using WebApi;

// The School service as a web API, on the generated queries. The database is Mig:Path or
// ConnectionStrings:Mig from the configuration, else this schema's own file in the content root
// (`dotnet build -t:MigInit` creates it). During a hot migration the old app answers writes with
// 503 + Retry-After while the migration drains it, and a v2 app started early answers 503 until
// cutover makes its file ready; /health says which (Healthy, Degraded while migrating, Unhealthy).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddMigDatabase(MigSchemaInfo.DatabaseFileName);
builder.Services.AddHealthChecks().AddMigHealthCheck();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

var app = builder.Build();
app.UseMigWritePause();
app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthJson.WriteAsync });

var students = app.MapGroup("/students");

// A page of students by key: ?after=<last id of the previous page>&limit=<1..500>.
students.MapGet("/", async (MigDatabase db, long? after, int? limit, CancellationToken ct) =>
{
    var size = Math.Clamp(limit ?? 50, 1, 500);
    var page = await db.ReadAsync(txn => StudentPage.ReadAsync(txn, after ?? 0, size), ct);
    return Results.Ok(new { items = page, next = page.Count == size ? page[^1].Id : (long?)null });
});

students.MapGet("/{id:long}", async (MigDatabase db, long id, CancellationToken ct) =>
    await db.ReadAsync(txn => Student.SelectOneByIdAsync(txn, id, ct), ct) is { } student ? Results.Ok(student) : Results.NotFound());

// Each write checks and writes in one transaction, so a conflict is decided by what it sees.
students.MapPost("/", async (MigDatabase db, StudentInput input, CancellationToken ct) =>
    input.Problem() is { } problem ? Results.ValidationProblem(problem) : await db.WriteAsync<IResult>(async txn =>
    {
        if (await Student.SelectOneByEmailAsync(txn, input.Email, ct) is not null) return Results.Conflict(new { error = $"a student with email {input.Email} exists" });
        var id = await Student.InsertAsync(txn, input.ToStudent(0, DateTimeOffset.UtcNow), ct);
        return Results.Created($"/students/{id}", await Student.SelectOneByIdAsync(txn, id, ct));
    }, ct));

students.MapPut("/{id:long}", async (MigDatabase db, long id, StudentInput input, CancellationToken ct) =>
    input.Problem() is { } problem ? Results.ValidationProblem(problem) : await db.WriteAsync<IResult>(async txn =>
    {
        if (await Student.SelectOneByIdAsync(txn, id, ct) is not { } old) return Results.NotFound();
        if (await Student.SelectOneByEmailAsync(txn, input.Email, ct) is { } other && other.Id != id) return Results.Conflict(new { error = $"a student with email {input.Email} exists" });
        await Student.UpdateByIdAsync(txn, input.ToStudent(id, old.EnrolledAt), ct);
        return Results.Ok(await Student.SelectOneByIdAsync(txn, id, ct));
    }, ct));

students.MapDelete("/{id:long}", async (MigDatabase db, long id, CancellationToken ct) =>
    await db.WriteAsync(txn => Student.DeleteByIdAsync(txn, id, ct), ct) > 0 ? Results.NoContent() : Results.NotFound());

app.Run();
