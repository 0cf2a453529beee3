using System.Linq;
using System.Threading.Tasks;
using Consumer.Schema;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Consumer.Tests;

/// <summary>
/// The generated methods of tables whose column names are not identifiers
/// ([Column("e-mail")], "a b", "select", unicode, "@p0"), on a real file: each value
/// lands in its own column and every query finds what it should.
/// </summary>
[TestClass]
public sealed class HostileNameTests
{
    private static Contact New(string email, string dash = "d", string? space = "s", long keyword = 0, string unicode = "u", string? tricky = null) =>
        new(0, email, dash, space, keyword, unicode, tricky);

    [TestMethod]
    public async Task InsertSelectUpdateDeleteWorkThroughAColumnNamedEMail()
    {
        using var t = new TestDatabase();
        var id = await t.Db.WriteAsync(txn => Contact.InsertAsync(txn, New("ann@x", "dash", "space", 7, "名", "@p1")));
        var stored = await t.Db.ReadAsync(txn => Contact.SelectOneByEmailAsync(txn, "ann@x"));
        Assert.AreEqual(new Contact(id, "ann@x", "dash", "space", 7, "名", "@p1"), stored);

        var updated = await t.Db.WriteAsync(txn => Contact.UpdateByEmailAsync(txn, stored! with { Dash = "dash2", Space = null, Keyword = 8, Tricky = null }));
        Assert.AreEqual(1, updated);
        Assert.AreEqual(new Contact(id, "ann@x", "dash2", null, 8, "名", null), await t.Db.ReadAsync(txn => Contact.SelectOneByEmailAsync(txn, "ann@x")));

        Assert.AreEqual(1, await t.Db.WriteAsync(txn => Contact.DeleteByEmailAsync(txn, "ann@x")));
        Assert.IsNull(await t.Db.ReadAsync(txn => Contact.SelectOneByEmailAsync(txn, "ann@x")));
    }

    [TestMethod]
    public async Task ColumnsADashBAndASpaceBKeepTheirOwnValues()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(async txn =>
        {
            await Contact.InsertAsync(txn, New("1@x", dash: "x", space: "y", keyword: 1));
            await Contact.InsertAsync(txn, New("2@x", dash: "y", space: "x", keyword: 2));
            await Contact.InsertAsync(txn, New("3@x", dash: "x", space: "y", keyword: 3));
        });
        var found = await t.Db.ReadAsync(txn => Contact.SelectByDashSpaceOrderByKeywordDescAsync(txn, "x", "y"));
        CollectionAssert.AreEqual(new[] { "3@x", "1@x" }, found.Select(c => c.Email).ToArray());
        using var raw = t.OpenRaw();
        using var cmd = raw.CreateCommand();
        cmd.CommandText = "SELECT \"a-b\" || '|' || \"a b\" FROM \"contact list\" WHERE \"e-mail\" = '2@x'";
        Assert.AreEqual("y|x", cmd.ExecuteScalar());
    }

    [TestMethod]
    public async Task UpsertInsertOrIgnoreAndSelectByOrInsertBindEveryColumn()
    {
        using var t = new TestDatabase();
        var first = await t.Db.WriteAsync(txn => Contact.InsertOrIgnoreAsync(txn, New("a@x"))) ?? throw new AssertFailedException("the first insert is not ignored");
        Assert.IsNull(await t.Db.WriteAsync(txn => Contact.InsertOrIgnoreAsync(txn, New("a@x", dash: "other"))));
        await t.Db.WriteAsync(txn => Contact.UpsertAsync(txn, new Contact(first, "a@x", "up", null, 5, "ü", "?")));
        var stored = await t.Db.WriteAsync(txn => Contact.SelectByEmailOrInsertAsync(txn, New("a@x", dash: "ignored")));
        Assert.AreEqual(new Contact(first, "a@x", "up", null, 5, "ü", "?"), stored);
        var inserted = await t.Db.WriteAsync(txn => Contact.SelectByEmailOrInsertAsync(txn, New("b@x", dash: "new")));
        Assert.AreEqual("new", inserted.Dash);
        CollectionAssert.AreEqual(new[] { "a@x", "b@x" }, (await t.Db.ReadAsync(txn => Contact.SelectAllAsync(txn))).Select(c => c.Email).ToArray());
    }

    [TestMethod]
    public async Task AReferenceThroughAColumnNamedWithAQuestionMarkReadsWhole()
    {
        using var t = new TestDatabase();
        var (ann, bob) = await t.Db.WriteAsync(async txn =>
        {
            var a = await Contact.SelectByEmailOrInsertAsync(txn, New("ann@x"));
            var b = await Contact.SelectByEmailOrInsertAsync(txn, New("bob@x"));
            await ContactNote.InsertAsync(txn, new ContactNote(0, a, "it's one"));
            await ContactNote.InsertAsync(txn, new ContactNote(0, b, "other"));
            await ContactNote.InsertAsync(txn, new ContactNote(0, a, "two"));
            return (a, b);
        });
        var notes = await t.Db.ReadAsync(txn => ContactNote.SelectByContactOrderByIdAscAsync(txn, ann));
        CollectionAssert.AreEqual(new[] { "it's one", "two" }, notes.Select(n => n.Text).ToArray());
        Assert.AreEqual(ann, notes[0].Contact);
        Assert.AreEqual(1, await t.Db.WriteAsync(txn => ContactNote.DeleteByContactAsync(txn, bob)));
    }

    [TestMethod]
    [DataRow("50%", new[] { "50%@x" })]
    [DataRow("a_b", new[] { "a_b@x" })]
    [DataRow("\\", new[] { "back\\slash@x" })]
    [DataRow("BACK", new[] { "back\\slash@x", "backslash@x" })]
    public async Task SelectLikeMatchesPercentUnderscoreAndBackslashAsThemselves(string search, string[] expected)
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(async txn =>
        {
            foreach (var email in new[] { "50%@x", "500@x", "a_b@x", "axb@x", "back\\slash@x", "backslash@x" })
                await Contact.InsertAsync(txn, New(email));
        });
        var found = await t.Db.ReadAsync(txn => Contact.SelectEmailLikeAsync(txn, search));
        CollectionAssert.AreEquivalent(expected, found.Select(c => c.Email).ToArray());
    }
}
