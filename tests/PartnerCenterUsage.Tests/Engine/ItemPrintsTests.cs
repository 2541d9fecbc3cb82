using System.Text;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// The print of each item's bytes that the pager tells a copy by: taken from the very bytes the serializer read, so
/// it is the item's own whatever the body's byte order mark, repairs or envelope.
/// </summary>
public sealed class ItemPrintsTests
{
    private const string A = """{"CustomerName":"A","LicensesActive":1,"LicensesQualified":2}""";
    private const string B = """{"CustomerName":"B","LicensesActive":1,"LicensesQualified":2}""";

    private static Page<CustomerLicenseUsage> Commercial(byte[] body) =>
        PartnerCenterJson.ReadPage<LicenseUsageJson, CustomerLicenseUsage>(body, EnvelopeShape.Commercial, "the test", r => r.ToModel(null));

    private static ulong Print(string item) => ItemPrints.Of(Encoding.UTF8.GetBytes(item));

    [Fact]
    public void Each_item_s_print_is_the_print_of_its_own_bytes_in_the_items_order()
    {
        var page = Commercial(Encoding.UTF8.GetBytes($$"""{"Value":[{{A}}, {{B}},{{A}}],"TotalCount":3}"""));

        Assert.Equal([Print(A), Print(B), Print(A)], page.Prints!);
        Assert.NotEqual(Print(A), Print(B));
    }

    [Fact]
    public void A_byte_order_mark_a_broken_character_or_a_repaired_count_do_not_move_the_items()
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];
        var withBom = Commercial([.. bom, .. Encoding.UTF8.GetBytes($$"""{"Value":[{{A}},{{B}}],"TotalCount":2}""")]);
        Assert.Equal([Print(A), Print(B)], withBom.Prints!);

        // The count's leading zeros are dropped before the body is read again: the items' bytes are read where they now are.
        var sku = """{"skuId":"s1","productName":"P","availableUnits":1}""";
        var zeros = PartnerCenterJson.ReadPage<SubscribedSkuJson, CustomerSubscribedSku>(
            [.. bom, .. Encoding.UTF8.GetBytes($$"""{"totalCount": 0002, "items":[{{sku}},{{sku.Replace("s1", "s2", StringComparison.Ordinal)}}]}""")],
            EnvelopeShape.Classic, "the test", s => s.ToModel());
        Assert.Equal([Print(sku), Print(sku.Replace("s1", "s2", StringComparison.Ordinal))], zeros.Prints!);

        // A lone surrogate is repaired (U+FFFD) before the read: the print is of the repaired item, the same for both copies.
        var broken = """{"CustomerName":"C\ud800","LicensesActive":1}""";
        var repaired = Commercial(Encoding.UTF8.GetBytes($$"""{"Value":[{{broken}},{{broken}}]}"""));
        Assert.Equal(repaired.Prints![0], repaired.Prints[1]);
        Assert.Equal("C\uFFFD", repaired.Items[0].CustomerName);
    }

    [Fact]
    public void Items_that_read_alike_but_were_sent_otherwise_have_other_prints()
    {
        // A field no model keeps, another spacing, a value read as unknown either way: not the same item as sent.
        var page = Commercial(Encoding.UTF8.GetBytes("""
            {"Value":[
              {"CustomerName":"A","LicensesActive":"x"},
              {"CustomerName":"A","LicensesActive":"y"},
              {"CustomerName":"A", "LicensesActive":"x"},
              {"CustomerName":"A","LicensesActive":"x","Extra":1}
            ]}
            """));

        Assert.Equal(4, page.Prints!.Distinct().Count());
        Assert.All(page.Items, r => Assert.Null(r.LicensesActive));
    }
}
