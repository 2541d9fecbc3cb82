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
    public void A_byte_order_mark_or_a_repaired_count_do_not_move_the_items()
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

    }

    [Fact]
    public void A_page_whose_broken_characters_were_repaired_is_not_printed_so_no_item_of_it_passes_for_a_copy()
    {
        // Two lone surrogates that differ read alike (U+FFFD): the items were not the same as sent.
        var page = Commercial(Encoding.UTF8.GetBytes("""{"Value":[{"CustomerName":"C\ud800"},{"CustomerName":"C\udbff"}]}"""));

        Assert.Null(page.Prints);
        Assert.Equal(["C\uFFFD", "C\uFFFD"], page.Items.Select(r => r.CustomerName));
    }

    [Theory]
    [InlineData("""{"Value":[{"CustomerName":"A"},"oops"]}""", "at $.Value[1]")]
    [InlineData("""{"Value":[{"CustomerName":"A"},{"CustomerName":"B" "x":1}]}""", "at $.Value[1]")]
    [InlineData("""{"items":[{"skuId":"a"},{"skuId":"b"},[1]]}""", "at $.items[2]")]
    public void An_item_that_cannot_be_read_is_named_by_its_place_in_the_page(string body, string where)
    {
        var shape = body.Contains("items", StringComparison.Ordinal) ? EnvelopeShape.Classic : EnvelopeShape.Commercial;
        var error = Assert.Throws<PartnerCenterUsage.Engine.PartnerCenterInvalidResponseException>(() => shape == EnvelopeShape.Classic
            ? (object)PartnerCenterJson.ReadPage<SubscribedSkuJson, CustomerSubscribedSku>(Encoding.UTF8.GetBytes(body), shape, "the test", s => s.ToModel())
            : Commercial(Encoding.UTF8.GetBytes(body)));

        Assert.Contains(where, error.Message, StringComparison.Ordinal);
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
