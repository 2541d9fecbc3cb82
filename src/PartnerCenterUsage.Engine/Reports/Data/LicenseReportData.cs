using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Reports.Data;

/// <summary>
/// The figures a report page carries as data, so that the page can be read back (<see cref="LicenseReportReader"/>):
/// one JSON array inside a <c>&lt;script type="application/json"&gt;</c> element, which no browser runs or shows (it
/// is a data block: the page's Content-Security-Policy, which allows only the page's own script, has nothing to
/// allow), placed last in the body so that a copy cut short loses its end and is known to be damaged.
/// </summary>
/// <remarks>
/// <para>One element per line, so that a reader takes the data line by line in bounded memory. The first element is the
/// header (format, module version, title, when, processed dates); then the rows, each an array whose first item says
/// what it is:</para>
/// <list type="bullet">
/// <item><c>["p", i, id, name]</c>: product i; <c>["w", i, code, name]</c>: workload i; <c>["t", i, "yyyy-MM-dd"]</c>:
/// processed day i. Each is written before the first line that uses it.</item>
/// <item><c>["c", id, name, usageDay, deploymentDay, [usage], [deployment], [skus]]</c>: one customer and its figures.
/// A usage figure is <c>[product, workload, qualified, active]</c>, a deployment figure <c>[product, sold, deployed]</c>,
/// a subscribed SKU figure <c>[product, available]</c>. A usage or deployment figure adds its waste (inactive, unassigned)
/// only when it is not what its two counts give (whole − part, not below 0), then its day when it is not the customer's
/// of that kind, then (usage) the qualified licenses of its rows that knew their active count, when a row did not. A
/// day or count not known is null.</item>
/// </list>
/// <para>The last element is <c>{"end": true, "customers": n, "figures": m}</c>: a reader checks both counts. Strings
/// are escaped so that no <c>&lt;</c>, <c>&gt;</c> or <c>&amp;</c> reaches the page: the text can never close its element.
/// The format's version goes up whenever a reader of an older version could not read the data right; a reader refuses a
/// newer version rather than guess.</para>
/// </remarks>
public static class LicenseReportData
{
    /// <summary>The format this module writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>What the header's "format" names: the module's report data.</summary>
    public const string FormatName = "PartnerCenterUsage.LicenseReport";

    /// <summary>The id of the element that carries the data.</summary>
    public const string ElementId = "license-report-data";

    /// <summary>The element's start tag, on a line of its own: what a reader looks for.</summary>
    public static readonly string StartTag = "<script type=\"application/json\" id=\"" + ElementId + "\">";

    /// <summary>
    /// How the page's generator meta element starts, on a line of its own in the head: a page that has it and no data
    /// was cut short, one without it is no page of the module's (or one written before pages carried their figures).
    /// </summary>
    public const string GeneratorMeta = "<meta name=\"generator\" content=\"PartnerCenterUsage";

    /// <summary>The generator of a page the module's <paramref name="moduleVersion"/> writes.</summary>
    public static string Generator(string? moduleVersion) => "PartnerCenterUsage " + (moduleVersion ?? "unknown");

    /// <summary>The element's end tag, on the line after the data.</summary>
    public const string EndTag = "</script>";

    // Every string is escaped as JSON inside HTML needs: '<', '>', '&', quotes and the other HTML-sensitive characters
    // become \u escapes; letters of any script stay as they are, so names stay readable and short. Control characters
    // (always) and the bidirectional embeddings, overrides and isolates are \u escapes too: the data is the text as it
    // was, and the file holds none of what could reorder or drive what shows it (see VisibleText).
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Create(DataCharacters()) };

    private static TextEncoderSettings DataCharacters()
    {
        var settings = new TextEncoderSettings(UnicodeRanges.All);
        settings.ForbidRange(new UnicodeRange(0x202A, 5));
        settings.ForbidRange(new UnicodeRange(0x2066, 4));
        return settings;
    }

    internal const string End = "end";
    internal const string Customer = "c";
    internal const string Product = "p";
    internal const string Workload = "w";
    internal const string Day = "t";
    internal const string DayFormat = "yyyy-MM-dd";

    /// <summary>
    /// Writes the element with <paramref name="header"/> and <paramref name="figures"/>, enumerated once as they are
    /// written: nothing but the small tables of names is kept.
    /// </summary>
    public static void Write(TextWriter writer, LicenseReportHeader header, IEnumerable<LicenseReportFigure> figures)
    {
        if (writer is null)
        {
            throw new ArgumentNullException(nameof(writer));
        }

        if (header is null)
        {
            throw new ArgumentNullException(nameof(header));
        }

        if (figures is null)
        {
            throw new ArgumentNullException(nameof(figures));
        }

        var line = new JsonLine(writer);
        writer.Write(StartTag);
        writer.Write('\n');
        writer.Write('[');
        line.Object(json =>
        {
            json.WriteString("format", FormatName);
            json.WriteNumber("version", FormatVersion);
            json.WriteString("moduleVersion", header.ModuleVersion);
            json.WriteString("title", header.Title);
            json.WriteString("generatedAt", header.GeneratedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            json.WriteStartArray("processed");
            foreach (var date in header.ProcessedDates)
            {
                json.WriteStringValue(date.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            }

            json.WriteEndArray();
            json.WriteNumber("processedNotListed", header.ProcessedDatesNotListed);
        });

        var products = new Dictionary<(string?, string?), int>();
        var workloads = new Dictionary<(string?, string?), int>();
        var days = new Dictionary<DateTime, int>();
        var customer = new List<LicenseReportFigure>();
        long customers = 0, count = 0;
        foreach (var figure in figures)
        {
            if (customer.Count > 0 && (customer[0].CustomerId != figure.CustomerId || !string.Equals(customer[0].CustomerName, figure.CustomerName, StringComparison.Ordinal)))
            {
                WriteCustomer(line, customer, products, workloads, days);
                customers++;
                customer.Clear();
            }

            customer.Add(figure);
            count++;
        }

        if (customer.Count > 0)
        {
            WriteCustomer(line, customer, products, workloads, days);
            customers++;
        }

        line.Object(
            json =>
            {
                json.WriteBoolean(End, true);
                json.WriteNumber("customers", customers);
                json.WriteNumber("figures", count);
            },
            last: true);
        writer.Write("]\n");
        writer.Write(EndTag);
    }

    // One customer's line, after the lines that define the products, workloads and days it names for the first time.
    private static void WriteCustomer(JsonLine line, List<LicenseReportFigure> figures, Dictionary<(string?, string?), int> products, Dictionary<(string?, string?), int> workloads, Dictionary<DateTime, int> days)
    {
        int? DayOf(LicenseReportFigure figure) => figure.ProcessedDateTime is { } processed
            ? Index(days, processed.UtcDateTime.Date, i => line.Array(json =>
            {
                json.WriteStringValue(Day);
                json.WriteNumberValue(i);
                json.WriteStringValue(processed.UtcDateTime.Date.ToString(DayFormat, CultureInfo.InvariantCulture));
            }))
            : null;

        var items = new List<(LicenseReportFigure Figure, int Product, int Workload, int? Day)>(figures.Count);
        foreach (var figure in figures)
        {
            var product = Index(products, (figure.ProductId, figure.ProductName), i => line.Array(json =>
            {
                json.WriteStringValue(Product);
                json.WriteNumberValue(i);
                Write(json, figure.ProductId);
                Write(json, figure.ProductName);
            }));
            var workload = figure.Kind == LicenseFigureKind.Usage
                ? Index(workloads, (figure.WorkloadCode, figure.WorkloadName), i => line.Array(json =>
                {
                    json.WriteStringValue(Workload);
                    json.WriteNumberValue(i);
                    Write(json, figure.WorkloadCode);
                    Write(json, figure.WorkloadName);
                }))
                : -1;
            items.Add((figure, product, workload, DayOf(figure)));
        }

        // The customer's day of each kind is its first figure's; a figure of another day (undated among dated ones) says its own.
        int? usageDay = items.FirstOrDefault(i => i.Figure.Kind == LicenseFigureKind.Usage).Day;
        int? deploymentDay = items.FirstOrDefault(i => i.Figure.Kind == LicenseFigureKind.Deployment).Day;
        var first = figures[0];
        line.Array(json =>
        {
            json.WriteStringValue(Customer);
            Write(json, first.CustomerId?.ToString("D"));
            Write(json, first.CustomerName);
            Write(json, usageDay);
            Write(json, deploymentDay);
            foreach (var kind in new[] { LicenseFigureKind.Usage, LicenseFigureKind.Deployment, LicenseFigureKind.SubscribedSku })
            {
                json.WriteStartArray();
                foreach (var (figure, product, workload, day) in items)
                {
                    if (figure.Kind != kind)
                    {
                        continue;
                    }

                    json.WriteStartArray();
                    json.WriteNumberValue(product);
                    switch (kind)
                    {
                        case LicenseFigureKind.Usage:
                            json.WriteNumberValue(workload);
                            Counts(json, figure.LicensesQualified, figure.LicensesActive, figure.LicensesInactive, day, usageDay, figure.QualifiedWithActiveKnown);
                            break;
                        case LicenseFigureKind.Deployment:
                            Counts(json, figure.LicensesSold, figure.LicensesDeployed, figure.LicensesUnassigned, day, deploymentDay);
                            break;
                        default:
                            Write(json, figure.AvailableUnits);
                            break;
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
            }
        });
    }

    // The whole and the part (qualified and active, sold and deployed); the waste only when it is not what the two give
    // (a figure of several rows, one with more in use than in all), the day only when it is not the customer's, and
    // (usage) the base of the inactive share only when it is not what one row gives (a row lacked its active count).
    // Each one written makes the ones before it written too.
    private static void Counts(Utf8JsonWriter json, long? whole, long? part, long? waste, int? day, int? customerDay, long? shareBase = null)
    {
        Write(json, whole);
        Write(json, part);
        var ownBase = shareBase is { } known && known != QualifiedWithActiveKnown(whole, part);
        var ownDay = ownBase || day != customerDay;
        if (ownDay || waste != CountAggregate.Waste(whole, part))
        {
            Write(json, waste);
        }

        if (ownDay)
        {
            Write(json, day);
        }

        if (ownBase)
        {
            Write(json, shareBase);
        }
    }

    /// <summary>What a figure of one row has as the base of its inactive share: its qualified licenses when it knows its active ones too.</summary>
    internal static long QualifiedWithActiveKnown(long? qualified, long? active) => CountAggregate.Waste(qualified, active) is null ? 0 : qualified!.Value;

    private static int Index<T>(Dictionary<T, int> table, T key, Action<int> define)
        where T : notnull
    {
        if (!table.TryGetValue(key, out var index))
        {
            index = table.Count;
            table.Add(key, index);
            define(index);
        }

        return index;
    }

    private static void Write(Utf8JsonWriter json, string? value)
    {
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteStringValue(value);
        }
    }

    private static void Write(Utf8JsonWriter json, long? value)
    {
        if (value is { } known)
        {
            json.WriteNumberValue(known);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    /// <summary>Writes one element of the array at a time, each on its own line, through one reused buffer.</summary>
    private sealed class JsonLine
    {
        private readonly TextWriter _writer;
        private readonly MemoryStream _buffer = new();
        private readonly Utf8JsonWriter _json;

        public JsonLine(TextWriter writer)
        {
            _writer = writer;
            _json = new Utf8JsonWriter(_buffer, WriterOptions);
        }

        public void Array(Action<Utf8JsonWriter> items)
        {
            _json.WriteStartArray();
            items(_json);
            _json.WriteEndArray();
            Flush(last: false);
        }

        public void Object(Action<Utf8JsonWriter> properties, bool last = false)
        {
            _json.WriteStartObject();
            properties(_json);
            _json.WriteEndObject();
            Flush(last);
        }

        private void Flush(bool last)
        {
            _json.Flush();
            _writer.Write(Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length));
            _writer.Write(last ? "\n" : ",\n");
            _buffer.SetLength(0);
            _json.Reset(_buffer);
        }
    }
}
