using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Consumer.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Consumer.Tests;

/// <summary>Enums stored by name ([StoreAsText]) through the generated methods of a consumer of the packed SDK.</summary>
[TestClass]
public sealed class EnumNameTests
{
    private static object? Raw(TestDatabase t, string sql)
    {
        using var c = t.OpenRaw();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    [TestMethod]
    public async Task AnEnumStoredByNameRoundTripsAndTheFileHoldsTheName()
    {
        using var t = new TestDatabase();
        var id = await t.Db.WriteAsync(txn => Ticket.InsertAsync(txn, new Ticket(0, "printer", Priority.Urgent, Channel.Phone, Channel.Chat)));
        Assert.AreEqual(new Ticket(id, "printer", Priority.Urgent, Channel.Phone, Channel.Chat), await t.Db.ReadAsync(txn => Ticket.SelectOneByIdAsync(txn, id)));
        Assert.AreEqual("Urgent", Raw(t, $"SELECT priority FROM ticket WHERE id = {id}"));
        Assert.AreEqual("Phone", Raw(t, $"SELECT channel FROM ticket WHERE id = {id}"), "[property: StoreAsText]");
        Assert.AreEqual(3L, Raw(t, $"SELECT via FROM ticket WHERE id = {id}"), "the same enum without the attribute stays its integer");

        await t.Db.WriteAsync(txn => Ticket.UpdateByIdAsync(txn, new Ticket(id, "printer", Priority.Low, Channel.Email, Channel.Chat)));
        Assert.AreEqual("Low", Raw(t, $"SELECT priority FROM ticket WHERE id = {id}"));
    }

    [TestMethod]
    public async Task ANullableEnumStoredByNameRoundTripsNull()
    {
        using var t = new TestDatabase();
        var id = await t.Db.WriteAsync(txn => Ticket.InsertAsync(txn, new Ticket(0, "quiet", Priority.Low, null, Channel.Email)));
        Assert.IsNull((await t.Db.ReadAsync(txn => Ticket.SelectOneByIdAsync(txn, id)))!.Channel);
        Assert.AreEqual(DBNull.Value, Raw(t, $"SELECT channel FROM ticket WHERE id = {id}"));
        var nulls = await t.Db.ReadAsync(txn => Ticket.SelectByChannelAsync(txn, null));
        CollectionAssert.AreEqual(new[] { id }, nulls.Select(x => x.Id).ToArray(), "a null argument matches NULL");
    }

    [TestMethod]
    public async Task QueriesBindTheName()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(txn => Ticket.InsertManyAsync(txn, [
            new Ticket(0, "a", Priority.Urgent, Channel.Chat, Channel.Email),
            new Ticket(0, "b", Priority.Low, Channel.Email, Channel.Email),
            new Ticket(0, "c", Priority.Urgent, null, Channel.Email),
            new Ticket(0, "d", Priority.Normal, Channel.Chat, Channel.Email)]));
        await t.Db.ReadAsync(async txn =>
        {
            CollectionAssert.AreEqual(new[] { "a", "c" }, (await Ticket.SelectByPriorityAsync(txn, Priority.Urgent)).Select(x => x.Title).Order().ToArray());
            CollectionAssert.AreEqual(new[] { "a", "d" }, (await Ticket.SelectByChannelAsync(txn, Channel.Chat)).Select(x => x.Title).Order().ToArray());
            CollectionAssert.AreEqual(new[] { "b", "d" }, (await Ticket.SelectByPriorityInAsync(txn, [Priority.Low, Priority.Normal])).Select(x => x.Title).Order().ToArray());
            Assert.AreEqual(2L, await Ticket.CountByPriorityAsync(txn, Priority.Urgent));
            var byPriority = await TicketsByPriority.SelectAllAsync(txn);
            CollectionAssert.AreEqual(new[] { "Low:1", "Normal:1", "Urgent:2" }, byPriority.Select(x => $"{x.Priority}:{x.Tickets}").ToArray(), "a view reads names too (sorted by name)");
            Assert.AreEqual(2L, (await TicketsByPriority.SelectByPriorityAsync(txn, Priority.Urgent)).Single().Tickets);
        });
    }

    [TestMethod]
    public async Task TheDefaultIsAName()
    {
        using var t = new TestDatabase();
        Raw(t, "INSERT INTO ticket(title, via) VALUES ('from another app', 1)");
        var ticket = (await t.Db.ReadAsync(txn => Ticket.SelectOneByIdAsync(txn, 1)))!;
        Assert.AreEqual(Priority.Normal, ticket.Priority);
    }

    [TestMethod]
    public async Task AValueWithoutAMemberIsRefusedAndNothingIsWritten()
    {
        using var t = new TestDatabase();
        var e = await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() =>
            t.Db.WriteAsync(txn => Ticket.InsertAsync(txn, new Ticket(0, "odd", (Priority)42, null, Channel.Email))));
        StringAssert.Contains(e.Message, "Priority has no member with this value");
        Assert.AreEqual(0L, Raw(t, "SELECT count(*) FROM ticket"));
        var check = Assert.ThrowsExactly<SqliteException>(() => Raw(t, "INSERT INTO ticket(title, priority, via) VALUES ('x', 'Lost', 1)"));
        StringAssert.Contains(check.Message, "CHECK constraint failed", "another app cannot write a name the enum lacks");
    }

    [TestMethod]
    public async Task ANameTheEnumLacksIsAClearErrorOnRead()
    {
        using var t = new TestDatabase();
        // Written past the CHECK, as a file from a later version of the enum (with a member this one lacks) would hold it.
        using (var c = t.OpenRaw())
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "PRAGMA ignore_check_constraints = 1; INSERT INTO ticket(title, priority, via) VALUES ('future', 'Critical', 1)";
            cmd.ExecuteNonQuery();
        }
        var e = await Assert.ThrowsExactlyAsync<InvalidDataException>(() => t.Db.ReadAsync(txn => Ticket.SelectOneByIdAsync(txn, 1)));
        StringAssert.Contains(e.Message, "'Critical'");
        StringAssert.Contains(e.Message, "Priority");
    }
}
