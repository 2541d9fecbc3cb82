using System.Diagnostics;
using System.Globalization;
using System.Text;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Benchmarks;

/// <summary>
/// What reading a page of the commercial analytics costs the reader (no HTTP, no PowerShell): a 10,000-row page of
/// license usage (about 3.6 MB) read by <c>PartnerCenterJson.ReadPage</c>, as it is, with a lone surrogate in one name
/// (the page is repaired before it is parsed) and with control characters in every name (each read as its picture);
/// and the two passes the reader adds to every page, the Unicode check (<see cref="UnicodeRepair"/>) and
/// <see cref="VisibleText"/> over its strings, alone; and the print of each item's bytes that the pager tells copies by, alone. Each figure is the median of the rounds after 10 unmeasured ones,
/// with the rows read (all 10,000 each time).
/// </summary>
internal static class ReaderBench
{
    public const int Rows = 10_000;

    public static string Run(int rounds)
    {
        var clean = Page(n => "Contoso Customer " + n);
        var broken = Page(n => n == Rows / 2 ? @"Cont\ud800oso" : "Contoso Customer " + n);
        var controls = Page(n => @"Evil\u001b]0;pwned\u0007 Customer " + n);
        var strings = Enumerable.Range(1, Rows * 9).Select(n => "Contoso Customer " + n).ToArray();

        var table = new StringBuilder()
            .AppendLine("| 10,000-row page | MB | rows read | median ms | min ms |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: |");
        Row(table, "read as it is", clean, rounds, () => Read(clean));
        Row(table, "read, a lone surrogate in one name", broken, rounds, () => Read(broken));
        Row(table, "read, control characters in every name", controls, rounds, () => Read(controls));
        Row(table, "the Unicode check alone (nothing to repair)", clean, rounds * 10, () => ReferenceEquals(UnicodeRepair.Repaired(clean), clean) ? Rows : 0);
        Row(table, "VisibleText alone, over 90,000 strings (9 a row)", clean, rounds * 10, () =>
        {
            var kept = 0;
            foreach (var text in strings)
            {
                kept += ReferenceEquals(VisibleText.Of(text), text) ? 1 : 0;
            }

            return kept / 9;
        });
        Row(table, "the items' prints alone (8 bytes a step)", clean, rounds * 10, () =>
        {
            var printed = 0;
            foreach (var (start, length) in ItemSpans(clean))
            {
                printed += ItemPrints.Of(clean.AsSpan(start, length)) != 0 ? 1 : 0;
            }

            return printed;
        });
        return table.ToString();
    }

    // Where each item of a page lies, found once outside the measure.
    private static List<(int Start, int Length)> ItemSpans(byte[] body)
    {
        var spans = new List<(int, int)>();
        var reader = new System.Text.Json.Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType == System.Text.Json.JsonTokenType.StartObject && reader.CurrentDepth == 2)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                spans.Add((start, (int)reader.BytesConsumed - start));
            }
        }

        return spans;
    }

    private static int Read(byte[] body) =>
        PartnerCenterJson.ReadPage<LicenseUsageJson, CustomerLicenseUsage>(body, EnvelopeShape.Commercial, "the benchmark", r => r.ToModel(null)).Items.Count;

    private static void Row(StringBuilder table, string name, byte[] body, int rounds, Func<int> work)
    {
        var times = new List<double>();
        var rows = 0;
        for (var round = 0; round < rounds + 10; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            rows = work();
            stopwatch.Stop();
            if (round >= 10)
            {
                times.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        table.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {body.Length / (1024.0 * 1024.0):0.00} | {rows:N0} | {times[times.Count / 2]:0.00} | {times[0]:0.00} |"));
    }

    // A page as the commercial analytics write it, with the customer names name(n) (JSON string content, escaped).
    private static byte[] Page(Func<int, string> name)
    {
        var json = new StringBuilder("{\"Value\":[");
        for (var n = 1; n <= Rows; n++)
        {
            json.Append(n == 1 ? string.Empty : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"CustomerTenantId":"{{new Guid(n, 0, 0, new byte[8])}}","CustomerName":"{{name(n)}}","ProductId":"prod-{{n % 40}}","ProductName":"Microsoft 365 E3 {{n % 40}}","WorkloadCode":"EXO","WorkloadName":"Exchange","ServiceCode":"O365","ServiceName":"o365","Channel":"reseller","LicensesActive":{{n}},"LicensesQualified":{{2 * n}},"UsagePercent":50,"ProcessedDateTime":"2026-11-01T00:00:00Z"}""");
        }

        return Encoding.UTF8.GetBytes(json.Append("],\"TotalCount\":").Append(Rows).Append('}').ToString());
    }
}
