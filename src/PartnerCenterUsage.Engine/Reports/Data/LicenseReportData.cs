using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
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
/// <item><c>["c", i, id, name]</c>: customer i; <c>["p", i, id, name]</c>: product i; <c>["w", i, code, name]</c>: workload i;
/// <c>["t", i, "yyyy-MM-dd"]</c>: processed day i. Each is written before the first figure that uses it.</item>
/// <item><c>["u", customer, product, workload, day, qualified, active, inactive]</c>: a usage figure;
/// <c>["d", customer, product, day, sold, deployed, unassigned]</c>: a deployment figure;
/// <c>["s", customer, product, available]</c>: a subscribed SKU figure. A day or count not known is null.</item>
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
    // become \u escapes; letters of any script stay as they are, so names stay readable and short.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    internal const string End = "end";
    internal const string Customer = "c";
    internal const string Product = "p";
    internal const string Workload = "w";
    internal const string Day = "t";
    internal const string Usage = "u";
    internal const string Deployment = "d";
    internal const string Sku = "s";
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

        var customers = new Dictionary<(Guid?, string?), int>();
        var products = new Dictionary<(string?, string?), int>();
        var workloads = new Dictionary<(string?, string?), int>();
        var days = new Dictionary<DateTime, int>();
        long count = 0;
        foreach (var figure in figures)
        {
            var customer = Index(customers, (figure.CustomerId, figure.CustomerName), i => line.Array(json =>
            {
                json.WriteStringValue(Customer);
                json.WriteNumberValue(i);
                Write(json, figure.CustomerId?.ToString("D"));
                Write(json, figure.CustomerName);
            }));
            var product = Index(products, (figure.ProductId, figure.ProductName), i => line.Array(json =>
            {
                json.WriteStringValue(Product);
                json.WriteNumberValue(i);
                Write(json, figure.ProductId);
                Write(json, figure.ProductName);
            }));
            int? day = figure.ProcessedDateTime is { } processed
                ? Index(days, processed.UtcDateTime.Date, i => line.Array(json =>
                {
                    json.WriteStringValue(Day);
                    json.WriteNumberValue(i);
                    json.WriteStringValue(processed.UtcDateTime.Date.ToString(DayFormat, CultureInfo.InvariantCulture));
                }))
                : null;
            switch (figure.Kind)
            {
                case LicenseFigureKind.Usage:
                    var workload = Index(workloads, (figure.WorkloadCode, figure.WorkloadName), i => line.Array(json =>
                    {
                        json.WriteStringValue(Workload);
                        json.WriteNumberValue(i);
                        Write(json, figure.WorkloadCode);
                        Write(json, figure.WorkloadName);
                    }));
                    line.Array(json =>
                    {
                        json.WriteStringValue(Usage);
                        json.WriteNumberValue(customer);
                        json.WriteNumberValue(product);
                        json.WriteNumberValue(workload);
                        Write(json, day);
                        Write(json, figure.LicensesQualified);
                        Write(json, figure.LicensesActive);
                        Write(json, figure.LicensesInactive);
                    });
                    break;
                case LicenseFigureKind.Deployment:
                    line.Array(json =>
                    {
                        json.WriteStringValue(Deployment);
                        json.WriteNumberValue(customer);
                        json.WriteNumberValue(product);
                        Write(json, day);
                        Write(json, figure.LicensesSold);
                        Write(json, figure.LicensesDeployed);
                        Write(json, figure.LicensesUnassigned);
                    });
                    break;
                default:
                    line.Array(json =>
                    {
                        json.WriteStringValue(Sku);
                        json.WriteNumberValue(customer);
                        json.WriteNumberValue(product);
                        Write(json, figure.AvailableUnits);
                    });
                    break;
            }

            count++;
        }

        line.Object(
            json =>
            {
                json.WriteBoolean(End, true);
                json.WriteNumber("customers", customers.Count);
                json.WriteNumber("figures", count);
            },
            last: true);
        writer.Write("]\n");
        writer.Write(EndTag);
    }

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
