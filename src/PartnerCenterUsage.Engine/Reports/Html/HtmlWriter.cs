using System;
using System.IO;
using System.Net;

namespace PartnerCenterUsage.Engine.Reports.Html;

/// <summary>
/// Writes HTML so that text cannot become markup: element text and attribute values are always encoded, and markup is
/// only ever this writer's own, from tag and attribute names that must be plain names (a value from the rows never is
/// one). Text is made visible first (<see cref="VisibleText"/>): the rows may come from a user's own objects as well
/// as from the service's answers, and a control character is a parse error in HTML that would reach a viewer, or a
/// terminal the page's text is pasted into. The raw texts it writes are a <see cref="PageAsset"/>, the module's own
/// style and script, and the page's data, JSON escaped for HTML (<see cref="Raw"/>). Nothing is indented and no line
/// is ended unless asked (<see cref="Line"/>), so the page is exactly what the caller wrote.
/// </summary>
internal sealed class HtmlWriter
{
    private static readonly char[] AttributeSpecials = ['&', '"', '<', '>'];
    private readonly TextWriter _writer;

    // A start tag whose attributes may still come: its '>' is written before anything else is.
    private bool _startTagOpen;

    public HtmlWriter(TextWriter writer) => _writer = writer ?? throw new ArgumentNullException(nameof(writer));

    /// <summary>The document type, first on the page.</summary>
    public HtmlWriter Doctype()
    {
        EndStartTag();
        _writer.Write("<!DOCTYPE html>");
        return this;
    }

    /// <summary>Starts an element; its attributes may follow (<see cref="Attribute"/>). A void element is never closed.</summary>
    public HtmlWriter Open(string tag)
    {
        EndStartTag();
        _writer.Write('<');
        _writer.Write(Name(tag));
        _startTagOpen = true;
        return this;
    }

    /// <summary>An attribute of the element just opened, its value encoded (null: an empty value).</summary>
    public HtmlWriter Attribute(string name, string? value)
    {
        if (!_startTagOpen)
        {
            throw new InvalidOperationException("An attribute belongs right after the element's start.");
        }

        _writer.Write(' ');
        _writer.Write(Name(name));
        _writer.Write("=\"");
        WriteAttributeValue(value ?? string.Empty);
        _writer.Write('"');
        return this;
    }

    /// <summary>Ends the element just opened as an empty one, <c>&lt;rect .../&gt;</c> (SVG).</summary>
    public HtmlWriter SelfClose()
    {
        if (!_startTagOpen)
        {
            throw new InvalidOperationException("Only the element just opened can be closed as empty.");
        }

        _writer.Write("/>");
        _startTagOpen = false;
        return this;
    }

    /// <summary>Element text, encoded (null writes nothing).</summary>
    public HtmlWriter Text(string? text)
    {
        EndStartTag();
        if (!string.IsNullOrEmpty(text))
        {
            WebUtility.HtmlEncode(VisibleText.Of(text), _writer);
        }

        return this;
    }

    /// <summary>Ends an element.</summary>
    public HtmlWriter Close(string tag)
    {
        EndStartTag();
        _writer.Write("</");
        _writer.Write(Name(tag));
        _writer.Write('>');
        return this;
    }

    /// <summary>An element with no attributes and only text: <c>&lt;h2&gt;text&lt;/h2&gt;</c>.</summary>
    public HtmlWriter Element(string tag, string? text) => Open(tag).Text(text).Close(tag);

    /// <summary>The page's own style or script, as it is.</summary>
    public HtmlWriter Embed(PageAsset asset)
    {
        if (asset is null)
        {
            throw new ArgumentNullException(nameof(asset));
        }

        Open(asset.Tag);
        EndStartTag();
        _writer.Write(asset.Text);
        return Close(asset.Tag);
    }

    /// <summary>
    /// The page's data (<see cref="Data.LicenseReportData"/>), written by <paramref name="write"/>: JSON whose every
    /// string escapes '&lt;', '&gt;' and '&amp;', so that it cannot end its element or become markup.
    /// </summary>
    public HtmlWriter Raw(Action<TextWriter> write)
    {
        if (write is null)
        {
            throw new ArgumentNullException(nameof(write));
        }

        EndStartTag();
        write(_writer);
        return this;
    }

    /// <summary>Ends the line.</summary>
    public HtmlWriter Line()
    {
        EndStartTag();
        _writer.WriteLine();
        return this;
    }

    private void EndStartTag()
    {
        if (_startTagOpen)
        {
            _writer.Write('>');
            _startTagOpen = false;
        }
    }

    /// <summary>
    /// A value between double quotes needs only &amp; and " escaped; &lt; and &gt; are too, as everywhere on the page.
    /// Apostrophes stay, so that a Content-Security-Policy reads as written.
    /// </summary>
    private void WriteAttributeValue(string value)
    {
        value = VisibleText.Of(value)!;
        if (value.IndexOfAny(AttributeSpecials) < 0)
        {
            // Nearly every value (a number, a class, an id) has nothing to escape: written whole.
            _writer.Write(value);
            return;
        }

        foreach (var c in value)
        {
            switch (c)
            {
                case '&': _writer.Write("&amp;"); break;
                case '"': _writer.Write("&quot;"); break;
                case '<': _writer.Write("&lt;"); break;
                case '>': _writer.Write("&gt;"); break;
                default: _writer.Write(c); break;
            }
        }
    }

    /// <summary>A tag or attribute name as the renderer writes them: ASCII letters, then letters, digits and '-'.</summary>
    private static string Name(string name)
    {
        if (string.IsNullOrEmpty(name) || !IsLetter(name[0]))
        {
            throw new ArgumentException($"'{name}' is not a tag or attribute name.", nameof(name));
        }

        foreach (var c in name)
        {
            if (!IsLetter(c) && c is not (>= '0' and <= '9') and not '-')
            {
                throw new ArgumentException($"'{name}' is not a tag or attribute name.", nameof(name));
            }
        }

        return name;
    }

    private static bool IsLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');
}
