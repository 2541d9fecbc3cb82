using System.Text;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>What the reader takes for a count, and what it takes for the paging of a collection.</summary>
public sealed class LenientCountTests
{
    private const string Customer = "0a6c3a79-7c4e-4f51-a8a5-1f8b2e3c4d5e";

    private static Page<CustomerLicenseUsage> ReadPage(string json, EnvelopeShape shape = EnvelopeShape.Classic) =>
        PartnerCenterJson.ReadPage<LicenseUsageJson, CustomerLicenseUsage>(Encoding.UTF8.GetBytes(json), shape, "the test", r => r.ToModel(null));

    private static long? Count(string value) =>
        Assert.Single(ReadPage($$"""{"totalCount":1,"items":[{"customerId":"{{Customer}}","licensesActive":{{value}}}]}""").Items).LicensesActive;

    [Theory]
    [InlineData("5", 5L)]
    [InlineData("\"5\"", 5L)]
    [InlineData("5.0", 5L)]
    [InlineData("\" 5 \"", 5L)]
    [InlineData("1e3", 1000L)]
    [InlineData("0", 0L)]
    public void A_whole_number_of_zero_or_more_is_a_count_however_it_is_written(string value, long expected) =>
        Assert.Equal(expected, Count(value));

    [Theory]
    [InlineData("-5")]
    [InlineData("\"-5\"")]
    [InlineData("-0.0")]
    [InlineData("5.5")]
    [InlineData("5.00000000000000001")]
    [InlineData("1e30")]
    [InlineData("\"many\"")]
    [InlineData("true")]
    public void A_negative_fractional_huge_or_textual_count_is_unknown(string value) => Assert.Null(Count(value));

    [Fact]
    public void A_next_link_that_is_not_a_string_makes_the_page_unreadable_rather_than_the_last()
    {
        var row = $$"""{"customerId":"{{Customer}}","productName":"E3"}""";
        Assert.Throws<PartnerCenterInvalidResponseException>(() =>
            ReadPage("{\"totalCount\":1,\"items\":[" + row + "],\"links\":{\"next\":{\"uri\":{\"href\":\"/customers?page=2\"}}}}"));
        Assert.Throws<PartnerCenterInvalidResponseException>(() =>
            ReadPage("{\"value\":[" + row + "],\"@nextLink\":[\"v1/analytics/commercial/usage/license?skipToken=2\"]}", EnvelopeShape.Commercial));
        Assert.Throws<PartnerCenterInvalidResponseException>(() => ReadPage("{\"totalCount\":\"zero\"}"));
    }
}
