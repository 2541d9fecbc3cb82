using System.Text;
using System.Text.Json.Serialization;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// Numbers beyond what their field holds: a share that is not a finite number, a count beyond a long. Each is unknown
/// and noted, never Infinity, NaN or a count wrapped around.
/// </summary>
public sealed class LenientNumberTests
{
    private static Page<CustomerLicenseUsage> Read(string fields) =>
        PartnerCenterJson.ReadPage<LicenseUsageJson, CustomerLicenseUsage>(
            Encoding.UTF8.GetBytes("{\"totalCount\":1,\"items\":[{\"productName\":\"E3\"," + fields + "}]}"), EnvelopeShape.Classic, "the test", r => r.ToModel(null));

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1e309")]
    [InlineData("\"1e400\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"-Infinity\"")]
    [InlineData("\"NaN\"")]
    [InlineData("\"∞\"")]
    public void A_share_that_is_not_a_finite_number_is_unknown_and_noted(string value)
    {
        var page = Read("\"usagePercent\":" + value);

        Assert.Null(Assert.Single(page.Items).UsagePercent);
        Assert.Equal("number", Assert.Single(page.Unreadable).Kind);
    }

    [Theory]
    [InlineData("1e308", 1e308)]
    [InlineData("\"50.5\"", 50.5)]
    [InlineData("1e-400", 0.0)]
    public void A_finite_share_is_read(string value, double expected)
    {
        var page = Read("\"usagePercent\":" + value);

        Assert.Equal(expected, Assert.Single(page.Items).UsagePercent);
        Assert.Empty(page.Unreadable);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("\"1e400\"")]
    [InlineData("9223372036854775808")]
    [InlineData("18446744073709551616")]
    [InlineData("99999999999999999999999999999999999999999")]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    public void A_count_beyond_a_long_is_unknown_and_noted_not_wrapped(string value)
    {
        var page = Read("\"licensesQualified\":" + value + ",\"licensesActive\":1");

        var row = Assert.Single(page.Items);
        Assert.Null(row.LicensesQualified);
        Assert.Null(row.LicensesInactive);
        Assert.Equal("count", Assert.Single(page.Unreadable).Kind);
    }

    [Fact]
    public void The_largest_count_is_read()
    {
        var row = Assert.Single(Read("\"licensesQualified\":9223372036854775807").Items);

        Assert.Equal(long.MaxValue, row.LicensesQualified);
    }

    [Fact]
    public void The_reader_takes_no_named_number_literals()
    {
        Assert.False(PartnerCenterJson.Options.NumberHandling.HasFlag(JsonNumberHandling.AllowNamedFloatingPointLiterals));
    }
}
