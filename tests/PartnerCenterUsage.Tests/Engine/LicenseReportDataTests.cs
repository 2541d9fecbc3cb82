using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Reports;
using PartnerCenterUsage.Engine.Reports.Data;
using PartnerCenterUsage.Engine.Reports.Html;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// The page's data (LicenseReportData) read back by LicenseReportReader: every figure the builder counted comes back
/// equal, property by property, through the compact forms (a waste that is not what its counts give, a figure of another
/// day than its customer's, unknown counts, customers without id or name); and what a reader refuses.
/// </summary>
public sealed class LicenseReportDataTests : IDisposable
{
    private static readonly DateTimeOffset November = new(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset October = new(2026, 10, 1, 3, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pcu-data-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Every_figure_comes_back_equal_through_every_compact_form()
    {
        var contoso = Guid.Parse("11111111-1111-1111-1111-111111111111");
        var builder = new LicenseReportBuilder();

        // Two rows of one figure, one with more active than qualified: the waste (3) is not qualified − active (0).
        builder.Add(Usage(contoso, "Contoso", "P1", "Exchange", 10, 7, November));
        builder.Add(Usage(contoso, "Contoso", "P1", "Exchange", 2, 8, November));

        // Another workload with an undated row only: the figure is undated among dated ones.
        builder.Add(Usage(contoso, "Contoso", "P1", "Teams", 5, 1, null));

        // An earlier day of the same customer: left out, as the page leaves it out.
        builder.Add(Usage(contoso, "Contoso", "P1", "SharePoint", 50, 0, October));

        // Unknown counts, a customer with no id, one with neither id nor name, hostile and odd text.
        builder.Add(Usage(null, "</script><!-- \"x\" & 'y' \u2028 Zoë", "<b>P</b>", "W\n2", 4, null, November));
        builder.Add(Usage(null, null, null, null, null, 3, November));
        builder.Add(new CustomerLicenseDeployment { CustomerId = contoso, CustomerName = "Contoso", ProductId = "P1", ProductName = "Product 1", LicensesSold = 9, LicensesDeployed = 12, ProcessedDateTime = November });
        builder.Add(new CustomerLicenseDeployment { CustomerId = contoso, CustomerName = "Contoso", ProductId = "P1", ProductName = "Product 1", LicensesSold = 5, LicensesDeployed = 1, ProcessedDateTime = November });
        builder.Add(new CustomerLicenseDeployment { CustomerName = "No counts", ProductId = "P2" });
        builder.Add(new CustomerSubscribedSku { CustomerId = contoso, CustomerName = "Contoso", SkuId = "S1", SkuPartNumber = "SPE_E3", TotalUnits = 10, ConsumedUnits = 4 });
        builder.Add(new CustomerSubscribedSku { CustomerId = contoso, CustomerName = "Contoso", SkuId = "S2", ProductName = "Unknown units" });

        var written = builder.FigureRows().ToList();
        var path = Write(builder, "page.html");

        using var reader = LicenseReportReader.Open(path);
        var read = reader.ReadFigures().ToList();

        // Text comes back visible (VisibleText): the workload "W\n2" of a user's own row as "W␊2".
        Assert.Equal(written.Select(f => VisibleText.Of(Text(f))), read.Select(Text));
        Assert.Contains(read, f => f.WorkloadName == "W\u240a2");
        Assert.Equal(3, read.Single(f => f.WorkloadName == "Exchange").LicensesInactive);
        Assert.Null(read.Single(f => f.WorkloadName == "Teams").ProcessedDateTime);
        Assert.DoesNotContain(read, f => f.WorkloadName == "SharePoint");
        Assert.Equal(4, read.Single(f => f.Kind == LicenseFigureKind.Deployment && f.CustomerName == "Contoso").LicensesUnassigned);
        Assert.Equal("Report", reader.Header.Title);
        Assert.Equal(LicenseReportOptions.EngineVersion, reader.Header.ModuleVersion);
        Assert.All(read, f => Assert.Equal(path, f.ReportPath));
    }

    [Fact]
    public void A_name_with_a_lone_surrogate_is_written_and_read_back_with_the_replacement_character()
    {
        var builder = new LicenseReportBuilder();
        builder.Add(Usage(null, "Bad \uD800 name", "P", "W", 1, 1, November));

        using var reader = LicenseReportReader.Open(Write(builder, "surrogate.html"));

        Assert.Equal("Bad \uFFFD name", Assert.Single(reader.ReadFigures()).CustomerName);
    }

    [Fact]
    public void Control_characters_and_bidi_overrides_are_escaped_in_the_data_and_read_back_visible()
    {
        var builder = new LicenseReportBuilder();
        builder.Add(Usage(null, "Evil\u001b]0;pwned\u0007 \u009b31m\u202eCorp", "P\u2066", "W", 1, 1, November));
        var path = Write(builder, "controls.html");

        var page = File.ReadAllText(path);
        Assert.DoesNotContain(page, c => c is (< ' ' and not '\n') or (>= '\u007f' and <= '\u009f') or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069'));
        Assert.Contains(@"Evil\u001B]0;pwned\u0007 \u009B31m\u202ECorp", page, StringComparison.Ordinal);
        using var reader = LicenseReportReader.Open(path);
        var figure = Assert.Single(reader.ReadFigures());
        Assert.Equal("Evil\u241b]0;pwned\u2407 \ufffd31m\ufffdCorp", figure.CustomerName);
        Assert.Equal("P\ufffd", figure.ProductName);
    }

    [Fact]
    public void A_page_without_rows_reads_back_as_no_figure_not_as_no_report()
    {
        var path = Write(new LicenseReportBuilder(), "empty.html");

        using var reader = LicenseReportReader.Open(path);

        Assert.Empty(reader.ReadFigures());
    }

    [Fact]
    public void A_line_longer_than_the_cap_is_damage_in_the_data_and_skipped_outside_it()
    {
        var builder = new LicenseReportBuilder();
        builder.Add(Usage(null, "A", "P", "W", 1, 1, November));
        var page = File.ReadAllText(Write(builder, "page.html"));
        var longLine = new string('x', LicenseReportReader.LineCap + 10);

        var outside = Path.Combine(_directory.FullName, "outside.html");
        File.WriteAllText(outside, page.Replace("<body>", "<body>\n<!--" + longLine + "-->", StringComparison.Ordinal));
        var inside = Path.Combine(_directory.FullName, "inside.html");
        File.WriteAllText(inside, page.Replace("\n[\"c\",", "\n[\"c\",\"" + longLine + "\",", StringComparison.Ordinal));

        using (var reader = LicenseReportReader.Open(outside))
        {
            Assert.Single(reader.ReadFigures());
        }

        using var damaged = LicenseReportReader.Open(inside);
        var error = Assert.Throws<LicenseReportFileException>(() => damaged.ReadFigures().ToList());
        Assert.Equal(LicenseReportFileProblem.Damaged, error.Problem);
        Assert.Contains("longer than", error.Message, StringComparison.Ordinal);
    }

    private string Write(LicenseReportBuilder builder, string name)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, LicenseReportHtml.ToHtml(builder.Build(new LicenseReportOptions { Title = "Report", GeneratedAt = new DateTimeOffset(2026, 11, 30, 7, 0, 0, TimeSpan.Zero) })));
        return path;
    }

    private static CustomerLicenseUsage Usage(Guid? id, string? name, string? product, string? workload, long? qualified, long? active, DateTimeOffset? processed) => new()
    {
        CustomerId = id,
        CustomerName = name,
        ProductName = product,
        WorkloadName = workload,
        LicensesQualified = qualified,
        LicensesActive = active,
        ProcessedDateTime = processed,
    };

    private static string Text(LicenseReportFigure f) => string.Join(
        '|',
        f.Kind,
        f.CustomerId,
        f.CustomerName,
        f.ProductId,
        f.ProductName,
        f.WorkloadCode,
        f.WorkloadName,
        f.LicensesQualified,
        f.LicensesActive,
        f.LicensesInactive,
        f.LicensesSold,
        f.LicensesDeployed,
        f.LicensesUnassigned,
        f.AvailableUnits,
        f.ProcessedDateTime?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
}
