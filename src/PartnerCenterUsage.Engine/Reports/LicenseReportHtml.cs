using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace PartnerCenterUsage.Engine.Reports;

/// <summary>What a license report page says about itself.</summary>
public sealed class LicenseReportOptions
{
    /// <summary>The customers each ranking (chart) shows when none is given.</summary>
    public const int DefaultTop = 10;

    /// <summary>The page's title.</summary>
    public string Title { get; set; } = "Partner Center license report";

    /// <summary>The customers (or workloads, products) each chart shows.</summary>
    public int Top { get; set; } = DefaultTop;

    /// <summary>When the report was made.</summary>
    public DateTimeOffset GeneratedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>
/// Writes a license report as one self-contained HTML page: inline CSS, inline SVG bar charts with text labels
/// (readable in grey-scale and in print), and one small inline script that makes the tables sortable where script
/// runs. Nothing is loaded from anywhere else, and the page's Content-Security-Policy says so: it allows only its own
/// style and script, by hash. Without script (a mail client, print) the tables are complete, the largest waste first.
/// Every value from the rows is HTML-encoded; an unknown value is written as "unknown" (figures) or left empty
/// (tables), never as 0. Numbers and dates are formatted in the invariant culture.
/// </summary>
public static class LicenseReportHtml
{
    private const string Unknown = "unknown";

    // The characters of a chart's label that fit its 260 pixels in capitals.
    private const int LabelLength = 32;

    private static readonly string Style = Lf(@"
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:2em;color:#111;background:#fff}
h1{font-size:1.6em;margin-bottom:.2em}
h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #999}
.meta{color:#444;font-size:.9em}
.figures{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0;padding:0}
.figures li{list-style:none;border:1px solid #999;padding:.5em 1em;min-width:9em}
.figures .value{display:block;font-size:1.4em;font-weight:bold}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{border:1px solid #bbb;padding:.2em .5em;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
thead th{background:#eee}
th button{font:inherit;font-weight:bold;color:inherit;background:none;border:0;padding:0;cursor:pointer;text-align:left}
th[aria-sort=descending] button::after{content:"" \25BC""}
th[aria-sort=ascending] button::after{content:"" \25B2""}
svg{max-width:100%;height:auto}
svg text{font-size:12px;fill:#111}
svg .bar{fill:#555}
svg .bar2{fill:#bbb;stroke:#333}
.note{font-size:.85em;color:#444}
@media print{body{margin:0}section.chart{break-inside:avoid}thead{display:table-header-group}tr{break-inside:avoid}th button::after{content:none}}
");

    // Sorts a table by the column whose header is clicked: numbers by the raw value in data-v (an unknown one, "",
    // always last), text by the cell's text; a second click reverses. Plain ES5, so that any browser runs it.
    private static readonly string Script = Lf(@"
(function(){
function key(td){var v=td.getAttribute('data-v');return v===null?td.textContent.toLowerCase():(v===''?null:parseFloat(v));}
function compare(x,y,descending){
if(x===null||y===null){return x===y?0:(x===null?1:-1);}
var c=typeof x==='number'?x-y:(x<y?-1:(x>y?1:0));
return descending?-c:c;}
var tables=document.querySelectorAll('table.sortable');
for(var t=0;t<tables.length;t++){(function(table){
var headers=table.tHead.rows[0].cells;
for(var h=0;h<headers.length;h++){(function(th,column){
var button=document.createElement('button');button.type='button';
while(th.firstChild){button.appendChild(th.firstChild);}
th.appendChild(button);
button.addEventListener('click',function(){
var descending=th.getAttribute('aria-sort')!=='descending';
for(var i=0;i<headers.length;i++){headers[i].removeAttribute('aria-sort');}
th.setAttribute('aria-sort',descending?'descending':'ascending');
var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
var keyed=rows.map(function(row,index){return {row:row,key:key(row.cells[column]),index:index};});
keyed.sort(function(a,b){return compare(a.key,b.key,descending)||a.index-b.index;});
for(var r=0;r<keyed.length;r++){body.appendChild(keyed[r].row);}
});})(headers[h],h);}
})(tables[t]);}
})();
");

    // The page allows its own style and script and nothing else: no request leaves it, and a script that got into the
    // page any other way would not run.
    private static readonly string ContentSecurityPolicy =
        "default-src 'none'; style-src '" + Sha256(Style) + "'; script-src '" + Sha256(Script) + "'";

    /// <summary>Writes the page for what <paramref name="report"/> gathered.</summary>
    public static void Write(TextWriter writer, LicenseReportBuilder report, LicenseReportOptions options)
    {
        if (writer is null)
        {
            throw new ArgumentNullException(nameof(writer));
        }

        if (report is null)
        {
            throw new ArgumentNullException(nameof(report));
        }

        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        var top = Math.Max(1, options.Top);
        writer.WriteLine("<!DOCTYPE html>");
        writer.WriteLine("<html lang=\"en\">");
        writer.WriteLine("<head>");
        writer.WriteLine("<meta charset=\"utf-8\">");
        writer.WriteLine("<meta http-equiv=\"Content-Security-Policy\" content=\"" + ContentSecurityPolicy + "\">");
        writer.WriteLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        writer.WriteLine("<title>" + Encode(options.Title) + "</title>");
        writer.WriteLine("<style>" + Style + "</style>");
        writer.WriteLine("</head>");
        writer.WriteLine("<body>");
        writer.WriteLine("<h1>" + Encode(options.Title) + "</h1>");
        writer.WriteLine("<p class=\"meta\">Made " + Encode(Date(options.GeneratedAt)) + ". " + Encode(ProcessedText(report)) + "</p>");

        if (report.IsEmpty)
        {
            writer.WriteLine("<p class=\"empty\">There is no data: no license usage, deployment or subscribed SKU rows were given.</p>");
        }
        else
        {
            WriteFigures(writer, report);
            WriteCharts(writer, report, top);
            WriteTables(writer, report);
            writer.WriteLine("<script>" + Script + "</script>");
        }

        writer.WriteLine("</body>");
        writer.WriteLine("</html>");
    }

    /// <summary>Writes the page to a string (for tests and small reports).</summary>
    public static string ToHtml(LicenseReportBuilder report, LicenseReportOptions options)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, report, options);
        return writer.ToString();
    }

    private static string ProcessedText(LicenseReportBuilder report)
    {
        if (report.ProcessedDates.Count == 0)
        {
            return "Processed: unknown.";
        }

        var dates = string.Join(", ", report.ProcessedDates.Select(Date));
        var more = report.ProcessedDatesNotListed > 0
            ? string.Format(CultureInfo.InvariantCulture, " (and {0} older)", report.ProcessedDatesNotListed)
            : string.Empty;
        return "Processed: " + dates + more + ".";
    }

    private static void WriteFigures(TextWriter writer, LicenseReportBuilder report)
    {
        writer.WriteLine("<section id=\"figures\">");
        writer.WriteLine("<h2>Headline figures</h2>");
        writer.WriteLine("<ul class=\"figures\">");
        Figure(writer, "Customers", Number(report.CustomerCount));
        if (report.UsageRowCount > 0)
        {
            var usage = report.Usage;
            Figure(writer, "Licenses qualified", Number(usage.Qualified));
            Figure(writer, "Licenses active", Number(usage.Active));
            Figure(writer, "Licenses inactive", Number(usage.Inactive));
            Figure(writer, "Inactive share", Percent(usage.InactivePercent));
        }

        if (report.DeploymentRowCount > 0)
        {
            var deployment = report.Deployment;
            Figure(writer, "Licenses sold", Number(deployment.Sold));
            Figure(writer, "Licenses deployed", Number(deployment.Deployed));
            Figure(writer, "Licenses unassigned", Number(deployment.Unassigned));
        }

        if (report.SkuRowCount > 0)
        {
            Figure(writer, "Units available", report.SkuRowCount == report.AvailableUnitsUnknown ? Unknown : Number(report.AvailableUnits));
        }

        writer.WriteLine("</ul>");
        var notes = new List<string>();
        if (report.Usage.UsageRowsUnknown > 0)
        {
            notes.Add(string.Format(CultureInfo.InvariantCulture, "{0} usage rows lack a qualified or active count: their known counts are summed, and they add nothing to the inactive figures.", Number(report.Usage.UsageRowsUnknown)));
        }

        if (report.Deployment.DeploymentRowsUnknown > 0)
        {
            notes.Add(string.Format(CultureInfo.InvariantCulture, "{0} deployment rows lack a sold or deployed count: they add nothing to the unassigned figure.", Number(report.Deployment.DeploymentRowsUnknown)));
        }

        if (report.AvailableUnitsUnknown > 0)
        {
            notes.Add(string.Format(CultureInfo.InvariantCulture, "{0} subscribed SKU rows lack their available units.", Number(report.AvailableUnitsUnknown)));
        }

        foreach (var note in notes)
        {
            writer.WriteLine("<p class=\"note\">" + Encode(note) + "</p>");
        }

        writer.WriteLine("</section>");
    }

    private static void Figure(TextWriter writer, string label, string value) =>
        writer.WriteLine("<li><span class=\"value\">" + Encode(value) + "</span>" + Encode(label) + "</li>");

    private static void WriteCharts(TextWriter writer, LicenseReportBuilder report, int top)
    {
        if (report.UsageRowCount > 0)
        {
            var customers = report.CustomersByInactive.Where(c => c.Usage.Inactive is not null).Take(top).Select(c => new Bar(c.DisplayName, c.Usage.Inactive!.Value, null, hasPart: false)).ToList();
            Chart(writer, "chart-inactive", string.Format(CultureInfo.InvariantCulture, "Top {0} customers by inactive licenses", top), customers);

            var workloads = report.Workloads.Where(w => w.Qualified is not null).Take(top).Select(w => new Bar(Name(w.Name), w.Qualified!.Value, w.Active, hasPart: true)).ToList();
            Chart(writer, "chart-workloads", "Usage by workload (active of qualified)", workloads);
        }

        if (report.DeploymentRowCount > 0)
        {
            var products = report.ProductsByUnassigned.Where(p => p.Unassigned is not null).Take(top).Select(p => new Bar(Name(p.Name), p.Unassigned!.Value, null, hasPart: false)).ToList();
            Chart(writer, "chart-unassigned", "Unassigned licenses by product", products);
        }
    }

    /// <summary>
    /// A horizontal bar chart: each bar carries its name and its value as text, so that it reads without colour.
    /// A bar with an inner value (active of qualified) draws the whole as an outlined light bar and the part as a
    /// dark one, and says both.
    /// </summary>
    private static void Chart(TextWriter writer, string id, string title, IReadOnlyList<Bar> bars)
    {
        writer.WriteLine("<section id=\"" + id + "\" class=\"chart\">");
        writer.WriteLine("<h2>" + Encode(title) + "</h2>");
        if (bars.Count == 0)
        {
            writer.WriteLine("<p class=\"note\">Nothing to chart.</p>");
            writer.WriteLine("</section>");
            return;
        }

        const int labelWidth = 260;
        const int barWidth = 380;
        const int valueWidth = 200;
        const int rowHeight = 22;
        var width = labelWidth + barWidth + valueWidth;
        var height = (bars.Count * rowHeight) + 4;
        var max = Math.Max(1, bars.Max(b => Math.Max(b.Value, 0)));
        writer.WriteLine(string.Format(
            CultureInfo.InvariantCulture,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{0}\" width=\"{1}\" height=\"{2}\" viewBox=\"0 0 {1} {2}\">",
            Encode(title),
            width,
            height));
        writer.WriteLine("<title>" + Encode(title) + "</title>");
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = (i * rowHeight) + 2;
            var length = (int)Math.Round(barWidth * (double)Math.Max(bar.Value, 0) / max);
            // A long name is shortened to fit its column; the whole of it is the bar's tooltip.
            writer.WriteLine("<g><title>" + Encode(bar.Label) + "</title>");
            writer.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\">{2}</text>",
                labelWidth - 6,
                y + 15,
                Encode(Shorten(bar.Label, LabelLength))));
            string valueText;
            if (bar.HasPart)
            {
                writer.WriteLine(string.Format(CultureInfo.InvariantCulture, "<rect class=\"bar2\" x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"16\"/>", labelWidth, y + 2, length));
                if (bar.Part is { } part)
                {
                    var partLength = (int)Math.Round(barWidth * (double)Math.Max(part, 0) / max);
                    writer.WriteLine(string.Format(CultureInfo.InvariantCulture, "<rect class=\"bar\" x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"16\"/>", labelWidth, y + 2, Math.Min(partLength, length)));
                }

                valueText = Number(bar.Part) + " of " + Number(bar.Value) + " active";
            }
            else
            {
                writer.WriteLine(string.Format(CultureInfo.InvariantCulture, "<rect class=\"bar\" x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"16\"/>", labelWidth, y + 2, length));
                valueText = Number(bar.Value);
            }

            writer.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "<text x=\"{0}\" y=\"{1}\">{2}</text>",
                labelWidth + length + 6,
                y + 15,
                Encode(valueText)));
            writer.WriteLine("</g>");
        }

        writer.WriteLine("</svg>");
        writer.WriteLine("</section>");
    }

    private static void WriteTables(TextWriter writer, LicenseReportBuilder report)
    {
        // Every customer, in full: their number is the portfolio's, not the rows'.
        Table(
            writer,
            "table-customers",
            "Customers, the most inactive licenses first",
            report.CustomerCount,
            report.CustomersByWaste.ToList(),
            new[] { "Customer", "Qualified", "Active", "Inactive", "Inactive %", "Sold", "Deployed", "Unassigned", "Available units" },
            c => new[]
            {
                Text(c.DisplayName),
                Count(c.HasUsage ? c.Usage.Qualified : null, c.HasUsage),
                Count(c.HasUsage ? c.Usage.Active : null, c.HasUsage),
                Count(c.HasUsage ? c.Usage.Inactive : null, c.HasUsage),
                PercentCell(c.HasUsage ? c.Usage.InactivePercent : null),
                Count(c.HasDeployment ? c.Deployment.Sold : null, c.HasDeployment),
                Count(c.HasDeployment ? c.Deployment.Deployed : null, c.HasDeployment),
                Count(c.HasDeployment ? c.Deployment.Unassigned : null, c.HasDeployment),
                Count(c.AvailableUnits, c.HasSkus),
            });

        if (report.UsageRowCount > 0)
        {
            Table(
                writer,
                "table-usage",
                "License usage, the most inactive first",
                report.UsageRowCount,
                report.UsageTable,
                new[] { "Customer", "Product", "Workload", "Qualified", "Active", "Inactive", "Usage %", "Processed" },
                r => new[] { Text(r.CustomerName ?? r.CustomerId?.ToString("D")), Text(r.ProductName), Text(r.WorkloadName ?? r.WorkloadCode), Count(r.LicensesQualified), Count(r.LicensesActive), Count(r.LicensesInactive), PercentCell(r.UsagePercent), Text(r.ProcessedDateTime is { } d ? Date(d) : null) });
        }

        if (report.DeploymentRowCount > 0)
        {
            Table(
                writer,
                "table-deployment",
                "License deployment, the most unassigned first",
                report.DeploymentRowCount,
                report.DeploymentTable,
                new[] { "Customer", "Product", "Sold", "Deployed", "Unassigned", "Deployed %", "Processed" },
                r => new[] { Text(r.CustomerName ?? r.CustomerId?.ToString("D")), Text(r.ProductName ?? r.ProductId), Count(r.LicensesSold), Count(r.LicensesDeployed), Count(r.LicensesUnassigned), PercentCell(r.DeploymentPercent), Text(r.ProcessedDateTime is { } d ? Date(d) : null) });
        }

        if (report.SkuRowCount > 0)
        {
            Table(
                writer,
                "table-skus",
                "Subscribed SKUs, the most available units first",
                report.SkuRowCount,
                report.SkuTable,
                new[] { "Customer", "SKU", "Product", "Total", "Consumed", "Available", "Status" },
                r => new[] { Text(r.CustomerName ?? r.CustomerId?.ToString("D")), Text(r.SkuPartNumber), Text(r.ProductName), Count(r.TotalUnits), Count(r.ConsumedUnits), Count(r.AvailableUnits), Text(r.CapabilityStatus) });
        }
    }

    private static void Table<T>(TextWriter writer, string id, string title, long rowsRead, IReadOnlyList<T> rows, string[] headers, Func<T, string[]> cells)
    {
        writer.WriteLine("<section id=\"" + id + "\">");
        writer.WriteLine("<h2>" + Encode(title) + "</h2>");
        if (rows.Count < rowsRead)
        {
            writer.WriteLine("<p class=\"note\">" + Encode(string.Format(
                CultureInfo.InvariantCulture,
                "The {0} rows with the most waste of {1} rows read; the figures and charts above count every row.",
                Number(rows.Count),
                Number(rowsRead))) + "</p>");
        }

        writer.WriteLine("<table class=\"sortable\">");
        writer.WriteLine("<thead><tr>" + string.Concat(headers.Select(h => "<th scope=\"col\">" + Encode(h) + "</th>")) + "</tr></thead>");
        writer.WriteLine("<tbody>");
        foreach (var row in rows)
        {
            writer.WriteLine("<tr>" + string.Concat(cells(row)) + "</tr>");
        }

        writer.WriteLine("</tbody>");
        writer.WriteLine("</table>");
        writer.WriteLine("</section>");
    }

    private static string Text(string? value) => "<td>" + Encode(value ?? string.Empty) + "</td>";

    /// <summary>A number's cell: the formatted value shown, the raw one in data-v for sorting ("" when unknown).</summary>
    private static string Numeric(string shown, string raw) =>
        "<td class=\"n\" data-v=\"" + Encode(raw) + "\">" + Encode(shown) + "</td>";

    /// <summary>A count's cell; empty when unknown, or when the rows it sums were not given at all (<paramref name="given"/> false).</summary>
    private static string Count(long? value, bool given = true) =>
        given && value is { } v ? Numeric(Number(v), v.ToString(CultureInfo.InvariantCulture)) : Numeric(string.Empty, string.Empty);

    private static string PercentCell(double? value) =>
        value is { } v ? Numeric(Percent(v), v.ToString("R", CultureInfo.InvariantCulture)) : Numeric(string.Empty, string.Empty);

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(long? value) => value is { } v ? Number(v) : Unknown;

    private static string Percent(double? value, string unknown = Unknown) =>
        value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " %" : unknown;

    private static string Date(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Name(string name) => string.IsNullOrEmpty(name) ? Unknown : name;

    private static string Shorten(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        var cut = length - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text.Substring(0, cut) + "…";
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    /// <summary>
    /// The text with LF line ends, whatever the checkout made of the source file: a browser parses CR LF as LF before it
    /// hashes an inline style or script, so the policy's hashes must be of LF text.
    /// </summary>
    private static string Lf(string text) => text.Replace("\r\n", "\n");

    /// <summary>A Content-Security-Policy source that allows exactly this inline text.</summary>
    private static string Sha256(string text)
    {
        using var sha = SHA256.Create();
        return "sha256-" + Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
    }

    private readonly struct Bar
    {
        public Bar(string label, long value, long? part, bool hasPart)
        {
            Label = label;
            Value = value;
            Part = part;
            HasPart = hasPart;
        }

        public bool HasPart { get; }

        public string Label { get; }

        public long Value { get; }

        public long? Part { get; }
    }
}
