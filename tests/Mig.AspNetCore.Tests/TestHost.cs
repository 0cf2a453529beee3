using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mig.AspNetCore.Tests;

/// <summary>
/// An app as a user writes it, on Kestrel at 127.0.0.1 on a free port: AddMigDatabase,
/// UseMigWritePause, AddMigHealthCheck at /health, POST /items (a write) and GET /items (a read).
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    private TestHost(WebApplication app, HttpClient client) => (App, Client) = (app, client);

    public WebApplication App { get; }
    public HttpClient Client { get; }

    public static async Task<TestHost> StartAsync(string? defaultPath, Dictionary<string, string?>? settings = null, string? contentRoot = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot ?? AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Logging.ClearProviders();
        builder.Services.AddMigDatabase(defaultPath);
        builder.Services.AddHealthChecks().AddMigHealthCheck();
        var app = builder.Build();
        app.UseMigWritePause();
        app.MapHealthChecks("/health");
        app.MapPost("/items", async (MigDatabase db) =>
        {
            await db.WriteAsync(txn =>
            {
                using var cmd = txn.Connection.CreateCommand();
                cmd.CommandText = "INSERT INTO item(name) VALUES ('x')";
                cmd.ExecuteNonQuery();
                return Task.CompletedTask;
            });
            return Results.Ok();
        });
        app.MapGet("/items", async (MigDatabase db) => Results.Ok(await db.ReadAsync(txn =>
        {
            using var cmd = txn.Connection.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM item";
            return Task.FromResult((long)cmd.ExecuteScalar()!);
        })));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new TestHost(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
