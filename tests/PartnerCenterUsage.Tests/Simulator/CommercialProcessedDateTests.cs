using System.Globalization;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>
/// The processedDateTime of the commercial analytics: by default the simulator has data for one processed date only (with
/// <see cref="SimulatorOptions.HistoryMonths"/> earlier months too, see <see cref="CommercialHistoryTests"/>).
/// </summary>
public sealed class CommercialProcessedDateTests
{
    private const string UsagePath = "/v1/analytics/commercial/usage/license";
    private const string DeploymentPath = "/v1/analytics/commercial/deployment/license";

    [Theory]
    [InlineData("2026-11-01")]
    [InlineData("2026-11-01T00:00:00")]
    [InlineData("2026-11-01T00:00:00Z")]
    [InlineData("2026-11-01T18:30:00.5")]
    [InlineData("2026-11-01T01:00:00+02:00")]
    public async Task The_datas_processed_date_in_any_ISO_form_gives_every_row(string date)
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 10 });

        var usage = await http.GetPageAsync(UsagePath + "?processedDateTime=" + Uri.EscapeDataString(date));
        var deployment = await http.GetPageAsync(DeploymentPath + "?processedDateTime=" + Uri.EscapeDataString(date));

        Assert.Equal(http.Data.UsageRows.Count, usage.TotalCount);
        Assert.Equal(http.Data.DeploymentRows.Count, deployment.TotalCount);
        Assert.StartsWith(SimulatorData.ProcessedDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), date, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-10-31")]
    [InlineData("2026-11-02T00:00:00")]
    [InlineData("2017-03-09")]
    public async Task Another_date_has_no_rows(string date)
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 10 });

        var page = await http.GetPageAsync(UsagePath + "?processedDateTime=" + date + "&top=5");

        Assert.Empty(page.Rows);
        Assert.Equal(0, page.TotalCount);
        Assert.Null(page.NextLink);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-13-01")]
    [InlineData("11/01/2026")]
    [InlineData("")]
    public async Task An_unparseable_date_is_a_400(string date)
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = 3 });

        var answer = await http.GetAsync(DeploymentPath + "?processedDateTime=" + Uri.EscapeDataString(date));

        Assert.Equal(400, answer.Status);
        Assert.StartsWith("Invalid processedDateTime", answer.Json.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
