using Microsoft.Extensions.DependencyInjection;

namespace Mig.AspNetCore.Tests;

/// <summary>AddMigDatabase: which file, one instance for the app's lifetime, disposed with the host, a bad path stops the start.</summary>
[TestClass]
public sealed class RegistrationTests
{
    [TestMethod]
    public async Task MigPathWinsOverTheConnectionStringWhichWinsOverTheDefault()
    {
        using var configured = TestFile.Create();
        using var connection = TestFile.Create();
        using var fallback = TestFile.Create();

        await using (var host = await TestHost.StartAsync(fallback.Path, new() { ["Mig:Path"] = configured.Path, ["ConnectionStrings:Mig"] = $"Data Source={connection.Path}" }))
            Assert.AreEqual(configured.Path, host.App.Services.GetRequiredService<MigDatabase>().Path);
        await using (var host = await TestHost.StartAsync(fallback.Path, new() { ["ConnectionStrings:Mig"] = $"Data Source={connection.Path}" }))
            Assert.AreEqual(connection.Path, host.App.Services.GetRequiredService<MigDatabase>().Path);
        await using (var host = await TestHost.StartAsync(fallback.Path, new() { ["ConnectionStrings:Mig"] = connection.Path }))
            Assert.AreEqual(connection.Path, host.App.Services.GetRequiredService<MigDatabase>().Path, "a bare path as the connection string");
        await using (var host = await TestHost.StartAsync("app.db", contentRoot: fallback.Directory))
            Assert.AreEqual(fallback.Path, host.App.Services.GetRequiredService<MigDatabase>().Path, "a relative path is taken from the content root");
    }

    [TestMethod]
    public async Task OneDatabaseForTheAppsLifetimeDisposedWithTheHost()
    {
        using var file = TestFile.Create();
        MigDatabase db;
        await using (var host = await TestHost.StartAsync(file.Path))
        {
            db = host.App.Services.GetRequiredService<MigDatabase>();
            Assert.AreSame(db, host.App.Services.GetRequiredService<MigDatabase>());
            await host.Client.PostAsync("items", null);
        }
        await Assert.ThrowsExactlyAsync<ObjectDisposedException>(() => db.ReadAsync(_ => Task.CompletedTask));
    }

    [TestMethod]
    public async Task AMissingFileOrNoPathStopsTheStartAndSaysWhat()
    {
        using var dir = TestFile.Create();
        var missing = Path.Combine(dir.Directory, "nope.db");
        var notFound = await Assert.ThrowsExactlyAsync<FileNotFoundException>(() => TestHost.StartAsync(missing));
        StringAssert.Contains(notFound.Message, missing);
        var noPath = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => TestHost.StartAsync(null));
        StringAssert.Contains(noPath.Message, "Mig:Path");
        StringAssert.Contains(noPath.Message, "MigSchemaInfo.DatabaseFileName");
    }

    [TestMethod]
    public void AddingTheSameDatabaseTwiceRegistersItOnceWithBothSettings()
    {
        using var file = TestFile.Create();
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddMigDatabase(file.Path, o => o.MaxConnections = 3);
        services.AddMigDatabase(file.Path, o => o.RetryAfter = TimeSpan.FromSeconds(9));
        services.AddMigDatabase();
        services.AddKeyedMigDatabase("audit", file.Path);
        services.AddKeyedMigDatabase("audit");

        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(MigDatabase) && !d.IsKeyedService), "one database for AddMigDatabase");
        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(MigDatabase) && d.IsKeyedService), "one for the key audit");
        Assert.AreEqual(2, services.Count(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)), "one start-up check each");
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<MigWebOptions>>().Value;
        Assert.AreEqual(3, options.MaxConnections);
        Assert.AreEqual(TimeSpan.FromSeconds(9), options.RetryAfter, "the second call's settings apply too");
    }

    [TestMethod]
    public void AddingTheSameDatabaseWithAnotherDefaultPathSaysSo()
    {
        var services = new ServiceCollection();
        services.AddMigDatabase("a.db");
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => services.AddMigDatabase("b.db"));
        StringAssert.Contains(e.Message, "a.db");
        StringAssert.Contains(e.Message, "b.db");
        StringAssert.Contains(e.Message, "AddKeyedMigDatabase");
        services.AddKeyedMigDatabase("audit", "c.db");
        Assert.ThrowsExactly<InvalidOperationException>(() => services.AddKeyedMigDatabase("audit", "d.db"));
    }
}
