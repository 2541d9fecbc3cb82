using System.Text;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>A list of objects in a row (a SKU's service plans, a subscription's refund options): one bad item costs that item.</summary>
public sealed class LenientListTests
{
    private static Page<CustomerSubscribedSku> Read(string plans) =>
        PartnerCenterJson.ReadPage<SubscribedSkuJson, CustomerSubscribedSku>(
            Encoding.UTF8.GetBytes("{\"totalCount\":1,\"items\":[{\"totalUnits\":5,\"productSku\":{\"name\":\"E3\"},\"servicePlans\":" + plans + "}]}"),
            EnvelopeShape.Classic,
            "the test",
            s => s.ToModel());

    [Theory]
    [InlineData("\"Exchange Online\"", "'Exchange Online' for a list item")]
    [InlineData("42", "'42' for a list item")]
    [InlineData("true", "'true' for a list item")]
    [InlineData("[{\"displayName\":\"Nested\"}]", "'[...]' for a list item")]
    public void An_item_that_is_not_an_object_is_unknown_and_noted_and_the_others_are_read(string bad, string noted)
    {
        var page = Read("[{\"displayName\":\"Exchange\"}," + bad + ",{\"displayName\":\"SharePoint\"}]");

        var sku = Assert.Single(page.Items);
        Assert.Equal(5, sku.TotalUnits);
        Assert.Equal(["Exchange", "SharePoint"], sku.ServicePlans.Select(p => p.DisplayName));
        Assert.Equal(noted, Assert.Single(page.Unreadable).Describe(t => t));
    }

    [Fact]
    public void A_null_item_is_left_out_unnoted()
    {
        var page = Read("[null,{\"displayName\":\"Exchange\"}]");

        Assert.Equal("Exchange", Assert.Single(Assert.Single(page.Items).ServicePlans).DisplayName);
        Assert.Empty(page.Unreadable);
    }

    [Fact]
    public void A_list_that_is_not_a_list_is_unknown_and_noted()
    {
        var page = Read("\"Exchange; SharePoint\"");

        Assert.Empty(Assert.Single(page.Items).ServicePlans);
        Assert.Equal("list", Assert.Single(page.Unreadable).Kind);
    }
}
