using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Reports.Data;

/// <summary>
/// Reads back the figures a report page carries (<see cref="LicenseReportData"/>), line by line in bounded memory: only
/// the tables of customer, product and workload names are kept, never the figures. A file that carries no report data,
/// data of a newer format, or data cut short or not as the module writes it, is a <see cref="LicenseReportFileException"/>
/// naming the problem and the line; nothing is made up to fill a gap.
/// </summary>
public sealed class LicenseReportReader : IDisposable
{
    /// <summary>The longest line of data read (a page's other lines may be longer: they are skipped).</summary>
    public const int LineCap = 1 << 20;

    // The end of the data lies in the page's last bytes: the end element, the array's end and the element's end tag,
    // then the body's and the page's ends.
    private const int TailLength = 64 * 1024;

    private static readonly byte[] StartTag = Encoding.UTF8.GetBytes(LicenseReportData.StartTag);
    private static readonly byte[] EndMark = Encoding.UTF8.GetBytes("{\"" + LicenseReportData.End + "\":true");
    private static readonly byte[] EndTag = Encoding.UTF8.GetBytes(LicenseReportData.EndTag);
    private static readonly byte[] Generator = Encoding.UTF8.GetBytes(LicenseReportData.GeneratorMeta);

    private readonly FileStream _stream;
    private readonly long _length;
    private readonly CancellationToken _cancellation;
    private ByteLineReader _lines;
    private readonly List<LicenseReportFigure> _figures = new();
    private long _customers;
    private readonly List<(string? Id, string? Name)> _products = new();
    private readonly List<(string? Code, string? Name)> _workloads = new();
    private readonly List<DateTimeOffset> _days = new();
    private bool _read;

    private LicenseReportReader(string path, FileStream stream, CancellationToken cancellation)
    {
        Path = path;
        _stream = stream;
        _cancellation = cancellation;

        // Only what the file held when it was opened is read: a file that grows as it is read (or a device) ends there.
        _length = stream.Length;
        _lines = new ByteLineReader(stream, LineCap, _length);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>What the page says about itself.</summary>
    public LicenseReportHeader Header { get; private set; } = new();

    /// <summary>
    /// Opens <paramref name="path"/> and reads the page's header: a <see cref="LicenseReportFileException"/> when the file
    /// is no report, of a newer format, or cut short; the file system's own exceptions when it cannot be read.
    /// </summary>
    public static LicenseReportReader Open(string path, CancellationToken cancellation = default)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        // An empty file is no report; nor is a pipe or a device, whose size is 0 too: they are never opened (opening a
        // pipe waits for a writer, a device never ends).
        if (new FileInfo(path).Length == 0)
        {
            throw new LicenseReportFileException(LicenseReportFileProblem.NotAReport, path, $"'{path}' is empty, or no regular file: it carries no license report data.");
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        var reader = new LicenseReportReader(path, stream, cancellation);
        try
        {
            reader.Start();
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the file again from its start, through the same handle (so the same file, even if another has taken its
    /// name since), for a second pass of <see cref="ReadFigures"/>.
    /// </summary>
    public void Rewind()
    {
        _stream.Seek(0, SeekOrigin.Begin);
        _lines = new ByteLineReader(_stream, LineCap, _length);
        _figures.Clear();
        _products.Clear();
        _workloads.Clear();
        _days.Clear();
        _customers = 0;
        _read = false;
        Start();
    }

    /// <summary>
    /// The page's figures, in the order written, each with the report's title, time, module version and path. Read as
    /// they are enumerated, once; the data's end is checked (the counts it gives) after the last figure.
    /// </summary>
    public IEnumerable<LicenseReportFigure> ReadFigures()
    {
        if (_read)
        {
            throw new InvalidOperationException("The figures of a report are read once.");
        }

        _read = true;
        return Figures();
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();

    private void Start()
    {
        var ends = DataEnds();
        _stream.Seek(0, SeekOrigin.Begin);
        FindData(ends);
        ReadHeader();
    }

    private IEnumerable<LicenseReportFigure> Figures()
    {
        long figures = 0;
        while (true)
        {
            _cancellation.ThrowIfCancellationRequested();
            var line = NextDataLine("the data ends before its end element");
            var item = ItemOf(line);
            if (item.Length > 0 && item[0] == (byte)'{')
            {
                ReadEnd(item, figures);
                yield break;
            }

            ReadLine(item);
            foreach (var figure in _figures)
            {
                figures++;
                yield return figure;
            }
        }
    }

    // Finds the line that starts the data. A page of the module (its generator meta) without data, or one whose data
    // does not end, was cut short; a file with neither is no report.
    private void FindData(bool ends)
    {
        var generated = false;
        while (true)
        {
            _cancellation.ThrowIfCancellationRequested();
            if (!_lines.TryRead(out var line, out var tooLong))
            {
                if (generated)
                {
                    throw CutShort();
                }

                throw new LicenseReportFileException(
                    LicenseReportFileProblem.NotAReport,
                    Path,
                    $"'{Path}' carries no license report data: it is not a page written by the module's license report, or one written before pages carried their figures.");
            }

            if (_lines.LineNumber == 1 && line.Length >= 2 && ((line[0] == 0xFF && line[1] == 0xFE) || (line[0] == 0xFE && line[1] == 0xFF)))
            {
                throw new LicenseReportFileException(
                    LicenseReportFileProblem.Damaged,
                    Path,
                    $"'{Path}' is UTF-16 text (Windows PowerShell's Out-File and Set-Content save text so): the module writes its reports in UTF-8 and reads them so. Use the file as the module wrote it, or save the copy as UTF-8.",
                    1);
            }

            if (tooLong)
            {
                continue;
            }

            line = TrimSpaces(line);
            if (line.SequenceEqual(StartTag))
            {
                break;
            }

            generated |= line.IndexOf(Generator) >= 0;
        }

        if (!ends)
        {
            throw CutShort();
        }
    }

    private void ReadHeader()
    {

        var first = NextDataLine("the data ends before its header");
        if (first.Length == 0 || first[0] != (byte)'[')
        {
            throw Damaged("the data does not start with its array");
        }

        try
        {
            var reader = new Utf8JsonReader(ItemOf(first.Slice(1)));
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, "the header is not an object");
            string? format = null, moduleVersion = null, title = null;
            int? version = null;
            DateTimeOffset? generatedAt = null;
            var processed = new List<DateTimeOffset>();
            var notListed = 0;
            var names = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                Expect(names.Add(name), "the header gives " + VisibleText.Of(name) + " twice");
                Expect(reader.Read(), "the header ends early");
                switch (name)
                {
                    case "format": format = reader.TokenType == JsonTokenType.String ? reader.GetString() : null; break;
                    case "version": version = reader.TokenType != JsonTokenType.Number ? -1 : reader.TryGetInt32(out var v) ? v : reader.TryGetDouble(out var big) && big > LicenseReportData.FormatVersion ? int.MaxValue : -1; break;
                    case "moduleVersion": moduleVersion = Text(ref reader); break;
                    case "title": title = Text(ref reader); break;
                    case "generatedAt": generatedAt = Date(Text(ref reader)); break;
                    case "processedNotListed": notListed = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n) && n >= 0 ? n : throw Damaged("the header's count of unlisted dates is not a count"); break;
                    case "processed":
                        Expect(reader.TokenType == JsonTokenType.StartArray, "the header's processed dates are not a list");
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            processed.Add(Date(Text(ref reader)) ?? throw Damaged("a processed date of the header is empty"));
                        }

                        break;
                    default: reader.Skip(); break;
                }
            }

            Expect(reader.TokenType == JsonTokenType.EndObject && !reader.Read(), "the header's line holds more than the header");
            if (!string.Equals(format, LicenseReportData.FormatName, StringComparison.Ordinal))
            {
                throw new LicenseReportFileException(LicenseReportFileProblem.NotAReport, Path, $"'{Path}' carries data that is not a license report's.", _lines.LineNumber);
            }

            if (version > LicenseReportData.FormatVersion)
            {
                throw new LicenseReportFileException(
                    LicenseReportFileProblem.NewerFormat,
                    Path,
                    string.Format(CultureInfo.InvariantCulture, "'{0}' was written by version {1} of the module, in format {2} of the report data; this version reads format {3} and older. Update the module to read it.", Path, moduleVersion ?? "unknown", version == int.MaxValue ? "a later" : version?.ToString(CultureInfo.InvariantCulture), LicenseReportData.FormatVersion),
                    _lines.LineNumber);
            }

            Expect(version is >= 1, "the header gives no format version");
            Header = new LicenseReportHeader
            {
                FormatVersion = version!.Value,
                ModuleVersion = moduleVersion,
                Title = title,
                GeneratedAt = generatedAt ?? throw Damaged("the header gives no time the report was made"),
                ProcessedDates = processed,
                ProcessedDatesNotListed = notListed,
            };
        }
        catch (JsonException e)
        {
            throw Damaged("the header is not valid JSON", e);
        }
    }

    // A copy cut short is found before any figure is read: its end element is not among its last bytes.
    private bool DataEnds()
    {
        var tail = new byte[(int)Math.Min(_length, TailLength)];
        _stream.Seek(_length - tail.Length, SeekOrigin.Begin);
        var read = 0;
        while (read < tail.Length && _stream.Read(tail, read, tail.Length - read) is var n and > 0)
        {
            read += n;
        }

        var last = new ReadOnlySpan<byte>(tail, 0, read);
        var mark = last.LastIndexOf(EndMark);
        return mark >= 0 && last.Slice(mark).IndexOf(EndTag) >= 0;
    }

    private LicenseReportFileException CutShort() =>
        new(LicenseReportFileProblem.Damaged, Path, $"'{Path}' is cut short, or was changed after it was written: its report data does not end the page. Write the report again, or use a complete copy.");

    // A line of names (product, workload, day) or one customer's figures, which go into _figures.
    private void ReadLine(ReadOnlySpan<byte> item)
    {
        _figures.Clear();
        try
        {
            var reader = new Utf8JsonReader(item);
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartArray, "a row is not an array");
            Expect(reader.Read() && reader.TokenType == JsonTokenType.String, "a row does not say what it is");
            switch (reader.GetString())
            {
                case LicenseReportData.Customer:
                    ReadCustomer(ref reader);
                    break;
                case LicenseReportData.Product:
                    Define(ref reader, _products.Count);
                    _products.Add((NextText(ref reader), NextText(ref reader)));
                    break;
                case LicenseReportData.Workload:
                    Define(ref reader, _workloads.Count);
                    _workloads.Add((NextText(ref reader), NextText(ref reader)));
                    break;
                case LicenseReportData.Day:
                    Define(ref reader, _days.Count);
                    var text = NextText(ref reader);
                    _days.Add(DateTimeOffset.TryParseExact(text, LicenseReportData.DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day)
                        ? day
                        : throw Damaged("a processed day is not a date"));
                    break;
                default:
                    throw Damaged("a row is of no kind the module writes");
            }

            Expect(reader.Read() && reader.TokenType == JsonTokenType.EndArray, "a row has more items than its kind");
            Expect(!reader.Read(), "a line holds more than one row");
        }
        catch (JsonException e)
        {
            throw Damaged("a row is not valid JSON", e);
        }
        catch (InvalidOperationException e)
        {
            throw Damaged("a row has an item of the wrong type", e);
        }
    }

    private void ReadCustomer(ref Utf8JsonReader reader)
    {
        var id = NextText(ref reader);
        Guid? customerId = id is null ? null : Guid.TryParseExact(id, "D", out var guid) ? guid : throw Damaged("a customer's id is not a GUID");
        var name = NextText(ref reader);
        var usageDay = NextDay(ref reader);
        var deploymentDay = NextDay(ref reader);
        _customers++;
        foreach (var kind in new[] { LicenseFigureKind.Usage, LicenseFigureKind.Deployment, LicenseFigureKind.SubscribedSku })
        {
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartArray, "a customer's figures are not a list");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                Expect(reader.TokenType == JsonTokenType.StartArray, "a figure is not an array");
                var product = _products[Reference(ref reader, _products.Count, "product")];
                var figure = new LicenseReportFigure
                {
                    Kind = kind,
                    CustomerId = customerId,
                    CustomerName = name,
                    ProductId = product.Id,
                    ProductName = product.Name,
                    ReportGeneratedAt = Header.GeneratedAt,
                    ReportTitle = Header.Title,
                    ModuleVersion = Header.ModuleVersion,
                    ReportPath = Path,
                };
                switch (kind)
                {
                    case LicenseFigureKind.Usage:
                        (figure.WorkloadCode, figure.WorkloadName) = _workloads[Reference(ref reader, _workloads.Count, "workload")];
                        (figure.LicensesQualified, figure.LicensesActive, figure.LicensesInactive, figure.ProcessedDateTime, figure.QualifiedWithActiveKnown) = Counts(ref reader, usageDay, usage: true);
                        break;
                    case LicenseFigureKind.Deployment:
                        (figure.LicensesSold, figure.LicensesDeployed, figure.LicensesUnassigned, figure.ProcessedDateTime, _) = Counts(ref reader, deploymentDay, usage: false);
                        break;
                    default:
                        figure.AvailableUnits = Count(ref reader);
                        Expect(reader.Read() && reader.TokenType == JsonTokenType.EndArray, "a subscribed SKU figure has more items than its kind");
                        break;
                }

                _figures.Add(figure);
            }
        }
    }

    // The whole and the part, then the waste when written (else what the two give), then the day when written (else the
    // customer's), then (usage) the base of the inactive share when written (else what one row gives).
    private (long? Whole, long? Part, long? Waste, DateTimeOffset? Day, long ShareBase) Counts(ref Utf8JsonReader reader, DateTimeOffset? customerDay, bool usage)
    {
        var whole = Count(ref reader);
        var part = Count(ref reader);
        var waste = CountAggregate.Waste(whole, part);
        var day = customerDay;
        var shareBase = LicenseReportData.QualifiedWithActiveKnown(whole, part);
        Expect(reader.Read(), "a figure ends early");
        if (reader.TokenType != JsonTokenType.EndArray)
        {
            waste = CountHere(ref reader);
            Expect(reader.Read(), "a figure ends early");
            if (reader.TokenType != JsonTokenType.EndArray)
            {
                day = reader.TokenType == JsonTokenType.Null ? null : _days[Index(ref reader, _days.Count, "processed day")];
                Expect(reader.Read(), "a figure ends early");
                if (usage && reader.TokenType != JsonTokenType.EndArray)
                {
                    shareBase = CountHere(ref reader) ?? throw Damaged("a figure's base of its inactive share is empty");
                    Expect(reader.Read(), "a figure ends early");
                }

                Expect(reader.TokenType == JsonTokenType.EndArray, "a figure has more items than its kind");
            }
        }

        return (whole, part, waste, day, shareBase);
    }

    private DateTimeOffset? NextDay(ref Utf8JsonReader reader)
    {
        Expect(reader.Read(), "a customer ends early");
        return reader.TokenType == JsonTokenType.Null ? null : _days[Index(ref reader, _days.Count, "processed day")];
    }

    private void ReadEnd(ReadOnlySpan<byte> item, long figures)
    {
        try
        {
            var reader = new Utf8JsonReader(item);
            long? customers = null, count = null;
            var ended = false;
            var names = new HashSet<string>(StringComparer.Ordinal);
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, "the end is not an object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                Expect(names.Add(name), "the end element gives " + name + " twice");
                Expect(reader.Read(), "the end element ends early");
                switch (name)
                {
                    case LicenseReportData.End: ended = reader.TokenType == JsonTokenType.True; break;
                    case "customers": customers = reader.TryGetInt64(out var c) ? c : null; break;
                    case "figures": count = reader.TryGetInt64(out var f) ? f : null; break;
                    default: reader.Skip(); break;
                }
            }

            Expect(ended, "an object among the rows is not the data's end");
            Expect(customers == _customers && count == figures, string.Format(CultureInfo.InvariantCulture, "the data ends with {0} customers and {1} figures where it gives {2} and {3}: rows are missing or were added", _customers, figures, customers, count));
        }
        catch (JsonException e)
        {
            throw Damaged("the end element is not valid JSON", e);
        }

        var close = NextDataLine("the data's array does not end");
        Expect(close.SequenceEqual("]"u8), "the data's array does not end after its end element");
        var tag = NextDataLine("the data's element does not end");
        Expect(TrimSpaces(tag).SequenceEqual(EndTag), "the data's element does not end after its array");
    }

    private ReadOnlySpan<byte> NextDataLine(string endedEarly)
    {
        if (!_lines.TryRead(out var line, out var tooLong))
        {
            throw Damaged(endedEarly);
        }

        if (tooLong)
        {
            throw Damaged(string.Format(CultureInfo.InvariantCulture, "a line of the data is longer than {0:N0} bytes", LineCap));
        }

        return line;
    }

    private static ReadOnlySpan<byte> TrimSpaces(ReadOnlySpan<byte> line)
    {
        var start = 0;
        var end = line.Length;
        while (start < end && line[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        while (end > start && line[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        return line.Slice(start, end - start);
    }

    // An element of the array: its line without the comma that separates it from the next.
    private static ReadOnlySpan<byte> ItemOf(ReadOnlySpan<byte> line)
    {
        line = TrimSpaces(line);
        return line.Length > 0 && line[line.Length - 1] == (byte)',' ? line.Slice(0, line.Length - 1) : line;
    }

    private void Define(ref Utf8JsonReader reader, int next)
    {
        Expect(reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index) && index == next, "a name is defined out of order");
    }

    private int Reference(ref Utf8JsonReader reader, int defined, string what)
    {
        Expect(reader.Read(), "a row ends early");
        return Index(ref reader, defined, what);
    }

    private int Index(ref Utf8JsonReader reader, int defined, string what)
    {
        Expect(reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index) && index >= 0 && index < defined, "a row names a " + what + " the data has not defined");
        reader.TryGetInt32(out var at);
        return at;
    }

    private long? Count(ref Utf8JsonReader reader)
    {
        Expect(reader.Read(), "a row ends early");
        return CountHere(ref reader);
    }

    private long? CountHere(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count), "a count is not a whole number");
        reader.TryGetInt64(out var value);
        return value;
    }

    // The string (or null) the reader is on, made visible: a file may have been written (or edited) by anyone, and its
    // names go to the user's terminal.
    private string? Text(ref Utf8JsonReader reader)
    {
        Expect(reader.TokenType is JsonTokenType.String or JsonTokenType.Null, "a text item is not text");
        return reader.TokenType == JsonTokenType.Null ? null : VisibleText.Of(reader.GetString());
    }

    // The row's next item, a string or null.
    private string? NextText(ref Utf8JsonReader reader)
    {
        Expect(reader.Read(), "a row ends early");
        return Text(ref reader);
    }

    private DateTimeOffset? Date(string? text) =>
        text is null ? null
        : DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var date) ? date
        : throw Damaged("a date of the header is not a date");

    private void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw Damaged(what);
        }
    }

    private LicenseReportFileException Damaged(string what, Exception? inner = null) =>
        new(LicenseReportFileProblem.Damaged, Path, string.Format(CultureInfo.InvariantCulture, "'{0}' is damaged at line {1:N0}: {2}. Write the report again, or use a copy that was not changed.", Path, _lines.LineNumber, what), _lines.LineNumber, inner);
}
