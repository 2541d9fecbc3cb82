using System.Globalization;
using System.Text;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Hostile;

/// <summary>
/// Values a hostile service writes inside otherwise documented answers, over real loopback HTTP: a broken item of a
/// list, a lone surrogate or bytes that are not UTF-8, a number beyond a double, control characters in names, and an
/// error body that echoes the token. Each costs the value it is in (read as unknown, or with U+FFFD for the broken
/// part), never the rows around it, and nothing the service sends can drive the user's terminal or show the token.
/// </summary>
public sealed class HostileValueTests
{
    private static readonly Guid Victim = Guid.Parse("bad00000-0000-4000-8000-000000000001");
    private static readonly Guid Next = Guid.Parse("600d0000-0000-4000-8000-000000000002");

    /// <summary>
    /// What a hostile name holds: the OSC escape that sets a terminal's title (ESC ] 0 ; ... BEL), a CSI in its 8-bit
    /// form (U+009B), a bidi override (U+202E), DEL, a NUL, a tab and a line end; in a JSON string, escaped.
    /// </summary>
    private const string HostileNameJson = @"Evil\u001b]0;pwned\u0007 \u009b31m\u202eCorp\u007f\u0000\t\r\n";

    /// <summary>What the reader makes of it: each C0 control and DEL its control picture, the rest U+FFFD.</summary>
    private const string HostileNameRead = "Evil\u241b]0;pwned\u2407 \ufffd31m\ufffdCorp\u2421\u2400\u2409\u240d\u240a";

    public static TheoryData<string> Endpoints => HostileEndpoints.Names;

    // ---- One bad item of a list ----

    [Theory]
    [InlineData("\"Exchange Online\"")]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("[{\"displayName\":\"Exchange\"}]")]
    [InlineData("{\"displayName\":{\"text\":\"Exchange\"},\"id\":[1]}")]
    public async Task A_service_plan_that_cannot_be_read_costs_that_plan_only(string plan)
    {
        var endpoint = HostileEndpoints.Get("customer SKUs");
        await using var scenario = await HostileScenario.StartAsync();
        // The SKU's documented plan (Exchange), then one that cannot be read, then a plan of its own.
        string Spoiled(int n) => endpoint.Item(Victim, n).Replace(
            "\"servicePlans\":[{", "\"servicePlans\":[" + plan + ",{\"displayName\":\"SharePoint\",\"serviceName\":\"SHAREPOINTSTANDARD\"},{", StringComparison.Ordinal);
        scenario.Server.Answer(r => HostileEndpoints.CustomerIn(r) == Victim
            ? endpoint.Page(scenario.Server, [Spoiled(1), Spoiled(2)], null)
            : endpoint.Valid(scenario.Server, r));

        var run = scenario.Run(endpoint.Script, (object)new[] { Victim, Next });

        Assert.Empty(run.Errors);
        Assert.Equal(4, run.Output.Count);
        var victim = run.Output.Take(2).ToList();
        Assert.All(victim, sku => Assert.NotNull(sku.Prop("TotalUnits")));
        Assert.All(victim, sku => Assert.Contains("SharePoint", sku.Prop("ServicePlans")!.ToString(), StringComparison.Ordinal));
        Assert.All(victim, sku => Assert.Contains("Exchange", sku.Prop("ServicePlans")!.ToString(), StringComparison.Ordinal));
        var warning = Assert.Single(run.Warnings);
        Assert.Contains("left empty", warning, StringComparison.Ordinal);
    }

    // ---- Text that is not Unicode ----

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_lone_surrogate_escaped_in_a_name_costs_that_character_only(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        var (sparse, property, _) = endpoint.Sparse;
        var item = sparse.Replace("Sparse", @"Sp\ud800arse", StringComparison.Ordinal);

        var run = RunAgainst(scenario, endpoint, _ => endpoint.Page(scenario.Server, [item, endpoint.Item(Victim, 2)], null));

        Assert.Empty(run.Errors);
        Assert.Contains(run.Output, o => (string?)o.Prop(property) is { } s && s.StartsWith("Sp\ufffdarse", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Bytes_that_are_not_UTF_8_in_a_name_cost_those_characters_only(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        var (sparse, property, _) = endpoint.Sparse;
        // 0xFF is never UTF-8; ED A0 80 is a surrogate written in UTF-8 (CESU-8), which UTF-8 forbids.
        var marked = endpoint.Page(scenario.Server, [sparse.Replace("Sparse", "Sp#arse", StringComparison.Ordinal).Replace(" ", "%", StringComparison.Ordinal), endpoint.Item(Victim, 2)], null);
        var body = Replace(Replace(marked.Body.ToArray(), (byte)'#', [0xFF]), (byte)'%', [0xED, 0xA0, 0x80]);

        var run = RunAgainst(scenario, endpoint, _ => HostileResponse.Bytes(body, "application/json; charset=utf-8"));

        Assert.Empty(run.Errors);
        Assert.Contains(run.Output, o => (string?)o.Prop(property) is { } s && s.StartsWith("Sp\ufffdarse\ufffd\ufffd\ufffd", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(@"Cont\ud800oso")]
    [InlineData(@"Cont\udc00oso")]
    [InlineData(@"Cont\ud800\ud800oso")]
    [InlineData("Cont#oso")]
    public async Task A_broken_character_in_a_row_of_a_10_000_row_page_loses_no_row(string broken)
    {
        var endpoint = HostileEndpoints.Get("portfolio usage");
        await using var scenario = await HostileScenario.StartAsync();
        var rows = Enumerable.Range(1, 10_000).Select(n => endpoint.Item(Guid.NewGuid(), n)).ToList();
        rows[5_000] = rows[5_000].Replace("\"Contoso\"", "\"" + broken + "\"", StringComparison.Ordinal);
        var body = Replace(HostileResponse.CommercialPage(rows, null, totalCount: rows.Count).Body.ToArray(), (byte)'#', [0xC3]);
        scenario.Server.Answer(HostileResponse.Bytes(body, "application/json; charset=utf-8"));

        var run = scenario.Run(endpoint.Script);

        Assert.Empty(run.Errors);
        Assert.Equal(10_000, run.Output.Count);
        var name = (string)run.Output[5_000].Prop("CustomerName")!;
        Assert.StartsWith("Cont\ufffd", name, StringComparison.Ordinal);
        Assert.EndsWith("oso", name, StringComparison.Ordinal);
        Assert.Equal(9_999, run.Output.Count(o => (string?)o.Prop("CustomerName") == "Contoso"));
    }

    // ---- Numbers beyond what a field holds ----

    [Theory]
    [InlineData("customer usage", """{"productName":"Huge","usagePercent":1e400,"licensesActive":1e400,"licensesQualified":99999999999999999999}""", "UsagePercent,LicensesActive,LicensesQualified,LicensesInactive")]
    [InlineData("customer usage", """{"productName":"Huge","usagePercent":-1e400,"licensesActive":9223372036854775808,"licensesQualified":"1e400"}""", "UsagePercent,LicensesActive,LicensesQualified")]
    [InlineData("customer usage", """{"productName":"Huge","usagePercent":"Infinity","licensesActive":"NaN","licensesQualified":"-Infinity"}""", "UsagePercent,LicensesActive,LicensesQualified")]
    [InlineData("customer usage", """{"productName":"Huge","usagePercent":"NaN","licensesActive":5,"licensesQualified":10}""", "")]
    [InlineData("customer deployment", """{"productName":"Huge","deploymentPercent":1e400,"licensesDeployed":5,"licensesSold":1e19}""", "LicensesSold,LicensesUnassigned")]
    [InlineData("portfolio usage", """{"ProductName":"Huge","UsagePercent":1e309,"LicensesActive":1e400,"LicensesQualified":10}""", "UsagePercent,LicensesActive,LicensesInactive")]
    [InlineData("portfolio deployment", """{"ProductName":"Huge","DeploymentPercent":"1e400","LicensesDeployed":5,"LicensesSold":10}""", "")]
    [InlineData("partner usage", """{"workloadName":"Huge","proratedLicensesUsagePercent":1e400}""", "ProratedLicensesUsagePercent")]
    [InlineData("partner deployment", """{"productName":"Huge","proratedDeploymentPercent":"Infinity","licensesSold":1e400}""", "ProratedDeploymentPercent,LicensesSold")]
    [InlineData("customer SKUs", """{"productSku":{"name":"Huge"},"totalUnits":1e400,"consumedUnits":123456789012345678901234567890}""", "TotalUnits,ConsumedUnits,AvailableUnits")]
    [InlineData("customer subscriptions", """{"friendlyName":"Huge","quantity":1e400}""", "Quantity")]
    public async Task A_number_beyond_its_field_is_unknown_and_noted_never_infinite_or_wrapped(string name, string item, string unknown)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();

        var run = RunAgainst(scenario, endpoint, _ => endpoint.Page(scenario.Server, [item, endpoint.Item(Victim, 2)], null));

        Assert.Empty(run.Errors);
        var row = Assert.Single(run.Output, o => (string?)o.Prop(endpoint.Sparse.NameProperty) == "Huge");
        foreach (var property in unknown.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Null(row.Prop(property));
        }

        // Whatever was read is a finite number of its field's type: no Infinity, no NaN, no count wrapped below zero.
        foreach (var value in row.Properties.Select(p => p.Value))
        {
            Assert.False(value is double d && !double.IsFinite(d), $"{value} is not a finite number");
            Assert.False(value is long l && l < 0, $"{value} is a negative count");
        }

        var warning = Assert.Single(run.Warnings);
        Assert.Contains("left empty", warning, StringComparison.Ordinal);
    }

    // ---- Control characters ----

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Control_characters_in_a_name_are_read_as_their_pictures_and_never_reach_the_output(string name)
    {
        var endpoint = HostileEndpoints.Get(name);
        await using var scenario = await HostileScenario.StartAsync();
        var (sparse, property, _) = endpoint.Sparse;
        var item = sparse.Replace("Sparse", HostileNameJson, StringComparison.Ordinal);

        var run = RunAgainst(scenario, endpoint, _ => endpoint.Page(scenario.Server, [item, endpoint.Item(Victim, 2)], null));

        Assert.Empty(run.Errors);
        Assert.Contains(run.Output, o => (string?)o.Prop(property) is { } s && s.StartsWith(HostileNameRead, StringComparison.Ordinal));
        AssertNoControlIn(run.VisibleText);
    }

    [Fact]
    public async Task Control_characters_in_every_text_of_a_row_are_read_as_their_pictures()
    {
        var endpoint = HostileEndpoints.Get("portfolio usage");
        await using var scenario = await HostileScenario.StartAsync();
        var row = $$"""{"CustomerTenantId":"{{Victim}}","CustomerName":"{{HostileNameJson}}","ProductId":"{{HostileNameJson}}","ProductName":"{{HostileNameJson}}","ServiceCode":"{{HostileNameJson}}","ServiceName":"{{HostileNameJson}}","WorkloadCode":"{{HostileNameJson}}","WorkloadName":"{{HostileNameJson}}","Channel":"{{HostileNameJson}}","LicensesActive":5,"LicensesQualified":10}""";
        scenario.Server.Answer(HostileResponse.CommercialPage([row], null, totalCount: 1));

        var run = scenario.Run(endpoint.Script);

        var read = Assert.Single(run.Output);
        foreach (var property in new[] { "CustomerName", "ProductId", "ProductName", "ServiceCode", "ServiceName", "WorkloadCode", "WorkloadName", "Channel" })
        {
            Assert.Equal(HostileNameRead, read.Prop(property));
        }
    }

    [Fact]
    public async Task Control_characters_in_an_error_or_an_unreadable_value_never_reach_the_output()
    {
        var endpoint = HostileEndpoints.Get("customer usage");
        await using var scenario = await HostileScenario.StartAsync();
        // The victim's answer is an error whose code, description and reason phrase hold them; the next customer's rows
        // have a date that holds them, which the warning quotes.
        scenario.Server.Answer(r => HostileEndpoints.CustomerIn(r) == Victim
            ? HostileResponse.Json($$"""{"code":"{{HostileNameJson}}","description":"{{HostileNameJson}}"}""", 400)
            : endpoint.Page(scenario.Server, [endpoint.Item(Next, 1).Replace(HostileEndpoints.Date, HostileNameJson, StringComparison.Ordinal)], null));

        var run = scenario.Run(endpoint.Script, (object)new[] { Victim, Next });

        Assert.Equal(["RequestRejected"], run.ErrorIds);
        Assert.Contains("Evil\u241b]0;pwned\u2407", run.Errors[0].Exception.Message, StringComparison.Ordinal);
        Assert.Contains("Evil\u241b]0;pwned\u2407", Assert.Single(run.Warnings), StringComparison.Ordinal);
        AssertNoControlIn(run.VisibleText);
    }

    [Fact]
    public async Task Control_characters_in_a_body_that_is_not_JSON_never_reach_the_error()
    {
        var endpoint = HostileEndpoints.Get("customer usage");
        await using var scenario = await HostileScenario.StartAsync();
        var page = Encoding.UTF8.GetBytes("<html>Evil\u001b]0;pwned\u0007 \u009b31m\u202eCorp</html>");

        var run = RunAgainst(scenario, endpoint, _ => HostileResponse.Bytes(page, "text/html", 400));

        Assert.Equal(["RequestRejected"], run.ErrorIds);
        Assert.Contains("Evil\u241b]0;pwned\u2407", run.Errors[0].Exception.Message, StringComparison.Ordinal);
        AssertNoControlIn(run.VisibleText);
    }

    [Fact]
    public async Task A_report_of_rows_with_control_characters_holds_none_and_reads_back_as_their_pictures()
    {
        var endpoint = HostileEndpoints.Get("portfolio usage");
        await using var scenario = await HostileScenario.StartAsync();
        scenario.Server.Answer(endpoint.Page(scenario.Server, [endpoint.Item(Victim, 1).Replace("\"Contoso\"", "\"" + HostileNameJson + "\"", StringComparison.Ordinal)], null));
        var path = Path.Combine(Path.GetTempPath(), "pcu-hostile-" + Guid.NewGuid().ToString("N") + ".html");
        try
        {
            // The service's rows, then the same row renamed by the user's own script: the page encodes both.
            var run = scenario.Run(
                "$rows = @(Get-PCLicenseUsage); $own = @(Get-PCLicenseUsage)[0]; $own.CustomerName = $args[1]; $own.CustomerId = [guid]::NewGuid(); " +
                "@($rows) + $own | Export-PCLicenseReport -Path $args[0] -Title $args[1]; Import-PCLicenseReport -Path $args[0]",
                path, "Mine\u001b]0;pwned\u0007\u009b\u202e\ud800");

            Assert.Empty(run.Errors);
            var page = File.ReadAllText(path, Encoding.UTF8);
            // The page's own lines end with LF; nothing else below U+0020, no DEL, no C1 control, no bidi override.
            AssertNoControlIn(page.Replace("\n", string.Empty, StringComparison.Ordinal));
            Assert.Contains("Evil\u241b]0;pwned\u2407", page, StringComparison.Ordinal);
            Assert.Contains("Mine\u241b]0;pwned\u2407", page, StringComparison.Ordinal);
            var names = run.Output.Select(o => o.Prop("CustomerName") as string).Where(n => n is not null).ToList();
            Assert.Contains(names, n => n!.StartsWith("Evil\u241b]0;pwned\u2407", StringComparison.Ordinal));
            Assert.Contains(names, n => n!.StartsWith("Mine\u241b]0;pwned\u2407", StringComparison.Ordinal));
            AssertNoControlIn(string.Concat(names));
        }
        finally
        {
            File.Delete(path);
        }
    }

    // ---- The token in an error body ----

    [Theory]
    [InlineData(0)]
    [InlineData(123)]
    [InlineData(150)]
    [InlineData(199)]
    public async Task An_error_body_that_is_not_JSON_and_echoes_the_token_shows_none_of_it_wherever_the_excerpt_ends(int before)
    {
        var endpoint = HostileEndpoints.Get("customer usage");
        await using var scenario = await HostileScenario.StartAsync();

        var run = RunAgainst(scenario, endpoint, r => HostileResponse.Bytes(
            Encoding.UTF8.GetBytes(new string('x', before) + "Authorization: " + r.Authorization + " is not valid."), "text/plain", 400));

        Assert.Equal(["RequestRejected"], run.ErrorIds);
        Assert.True(LongestTokenRun(run.VisibleText) < 8, $"{LongestTokenRun(run.VisibleText)} characters of the token are shown");
    }

    [Theory]
    [InlineData(20)]
    [InlineData(70)]
    [InlineData(200)]
    public async Task An_error_that_echoes_part_of_the_token_shows_none_of_it(int length)
    {
        var endpoint = HostileEndpoints.Get("customer usage");
        await using var scenario = await HostileScenario.StartAsync();

        // The service cut the token itself, from its start or from within its claims.
        var run = RunAgainst(scenario, endpoint, r => HostileResponse.Json(
            $$"""{"code":"400","description":"Bad token {{r.Authorization!.Substring(7, length)}}... and {{HostileScenario.Token.Substring(40, length)}}..."}""", 400));

        Assert.Equal(["RequestRejected"], run.ErrorIds);
        Assert.True(LongestTokenRun(run.VisibleText) < 8, $"{LongestTokenRun(run.VisibleText)} characters of the token are shown");
        Assert.Contains("[token]", run.Errors[0].Exception.Message, StringComparison.Ordinal);
    }

    // ---- Helpers ----

    private static HostileRun RunAgainst(HostileScenario scenario, HostileEndpoint endpoint, Func<HostileRequest, HostileResponse> hostile, string? parameters = null)
    {
        scenario.Server.Answer(r => !endpoint.PerCustomer || HostileEndpoints.CustomerIn(r) == Victim ? hostile(r) : endpoint.Valid(scenario.Server, r));
        return scenario.Run(endpoint.Script + (parameters is null ? string.Empty : " " + parameters), (object)new[] { Victim, Next });
    }

    private static byte[] Replace(byte[] body, byte marker, byte[] with)
    {
        var replaced = new List<byte>(body.Length + 16);
        foreach (var b in body)
        {
            if (b == marker)
            {
                replaced.AddRange(with);
            }
            else
            {
                replaced.Add(b);
            }
        }

        return [.. replaced];
    }

    /// <summary>No C0 control (line ends aside), no DEL, no C1 control and no bidi embedding, override or isolate.</summary>
    private static void AssertNoControlIn(string text)
    {
        var found = text.Replace("\r\n", "\n", StringComparison.Ordinal).Where(c => (c < 0x20 && c != '\n') || c is >= '\u007f' and <= '\u009f' or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069').ToList();
        Assert.True(found.Count == 0, "Control characters shown: " + string.Join(" ", found.Select(c => ((int)c).ToString("X4", CultureInfo.InvariantCulture))));
    }

    /// <summary>The longest run of characters of <paramref name="text"/> that is also in the connection's token.</summary>
    private static int LongestTokenRun(string text)
    {
        var token = HostileScenario.Token;
        var longest = 0;
        for (var i = 0; i < text.Length; i++)
        {
            for (var length = longest + 1; i + length <= text.Length && token.AsSpan().IndexOf(text.AsSpan(i, length), StringComparison.Ordinal) >= 0; length++)
            {
                longest = length;
            }
        }

        return longest;
    }
}
