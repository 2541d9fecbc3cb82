using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>
/// Reads Partner Center JSON. The documentation contradicts itself on names and types, so every field is
/// optional, names match case-insensitively, numbers may arrive as strings, and unknown fields are ignored.
/// </summary>
internal static class PartnerCenterJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>
    /// Reads one page of a list answer in the envelope <paramref name="shape"/> documents, all of it or nothing, and
    /// maps each item with <paramref name="map"/>.
    /// </summary>
    /// <exception cref="PartnerCenterInvalidResponseException">The body is not that envelope.</exception>
    public static Page<TModel> ReadPage<TWire, TModel>(byte[] body, EnvelopeShape shape, string what, Func<TWire, TModel> map)
        where TWire : class
    {
        EnvelopeJson<TWire>? envelope;
        IReadOnlyList<UnreadableValue> unreadable;
        UnreadableValues.Start();
        try
        {
            envelope = Deserialize<TWire>(body);
        }
        catch (JsonException ex)
        {
            throw new PartnerCenterInvalidResponseException(
                $"The response to {what} is not the expected JSON collection: {Describe(ex)}", ex);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
        {
            throw new PartnerCenterInvalidResponseException(
                $"The response to {what} is not the expected JSON collection: {VisibleText.Of(ex.Message)}", ex);
        }
        finally
        {
            unreadable = UnreadableValues.Stop();
        }

        if (envelope is null)
        {
            throw new PartnerCenterInvalidResponseException($"The response to {what} is the JSON literal null, not a collection.");
        }

        var items = envelope.ItemsOf(shape);
        var (next, continuation) = envelope.NextOf(shape);
        if (items is null)
        {
            // An empty collection may leave its items out, but only when it says it is empty: a body with neither
            // is some other document, and must not pass for "no rows".
            if (envelope.TotalCount == 0)
            {
                return new Page<TModel>(Array.Empty<TModel>(), 0, next, continuation) { Unreadable = unreadable };
            }

            throw new PartnerCenterInvalidResponseException(shape == EnvelopeShape.Classic
                ? $"The response to {what} has no 'items' array; it is not a Partner Center collection."
                : $"The response to {what} has no 'Value' array; it is not a page of Partner Center's analytics.");
        }

        var name = shape == EnvelopeShape.Classic ? "items" : "Value";
        var mapped = new TModel[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] ?? throw new PartnerCenterInvalidResponseException($"The response to {what} has a null at {name}[{i}].");
            if (item is WireItem wire && WireKinds.Foreign(wire) is { } foreign)
            {
                throw NotItsOwn(what, $"the item at {name}[{i}]", wire, foreign);
            }

            if (item is WireItem { IsEmpty: true })
            {
                // Another document's items (an id and a status, say) must not pass for rows of unknowns.
                throw new PartnerCenterInvalidResponseException($"The response to {what} has an item at {name}[{i}] with none of the fields its rows have.");
            }

            mapped[i] = map(item);
        }

        return new Page<TModel>(mapped, envelope.TotalCount, next, continuation) { Unreadable = unreadable, Prints = items is ItemList<TWire> list && list.Prints.Count == items.Count ? list.Prints : null };
    }

    /// <summary>
    /// Reads one resource; an invalid response when the body is not that JSON object, or has none of its fields.
    /// <paramref name="unreadable"/> gives the values that could not be read as what their field holds.
    /// </summary>
    public static T ReadObject<T>(byte[] body, string what, out IReadOnlyList<UnreadableValue> unreadable)
        where T : class
    {
        UnreadableValues.Start();
        try
        {
            var value = JsonSerializer.Deserialize<T>(WithoutByteOrderMark(UnicodeRepair.Repaired(body)), Options)
                ?? throw new PartnerCenterInvalidResponseException($"The response to {what} is the JSON literal null.");
            if (value is WireItem wire && WireKinds.Foreign(wire) is { } foreign)
            {
                throw NotItsOwn(what, "it", wire, foreign);
            }

            return value is WireItem { IsEmpty: true }
                ? throw new PartnerCenterInvalidResponseException($"The response to {what} has none of the fields it should have.")
                : value;
        }
        catch (JsonException ex)
        {
            throw new PartnerCenterInvalidResponseException($"The response to {what} is not the expected JSON: {Describe(ex)}", ex);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
        {
            throw new PartnerCenterInvalidResponseException($"The response to {what} is not the expected JSON: {VisibleText.Of(ex.Message)}", ex);
        }
        finally
        {
            unreadable = UnreadableValues.Stop();
        }
    }

    /// <summary>
    /// Reads an error body: <c>{code, description}</c> as documented, or the throttling shape
    /// <c>{statusCode, message}</c>, the identity platform's <c>{error, error_description}</c> and <c>{error: {code,
    /// message}}</c>. Anything else gives nulls; the status code still tells the story. Both are text of the service's:
    /// made visible (<see cref="VisibleText"/>), not yet redacted.
    /// </summary>
    public static (string? Code, string? Description) ReadError(byte[] body)
    {
        if (body.Length == 0)
        {
            return (null, null);
        }

        try
        {
            body = UnicodeRepair.Repaired(body);
            using var document = JsonDocument.Parse(body.AsMemory(ByteOrderMarkLength(body)));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? code = null;
            string? description = null;
            string? otherCode = null;
            string? otherText = null;
            foreach (var property in root.EnumerateObject())
            {
                if (string.Equals(property.Name, "code", StringComparison.OrdinalIgnoreCase))
                {
                    code = ScalarText(property.Value);
                }
                else if (string.Equals(property.Name, "description", StringComparison.OrdinalIgnoreCase)
                    || (description is null && string.Equals(property.Name, "message", StringComparison.OrdinalIgnoreCase)))
                {
                    description = ScalarText(property.Value);
                }
                else if (string.Equals(property.Name, "error", StringComparison.OrdinalIgnoreCase))
                {
                    // The identity platform's {error, error_description} (a 401 an authority or a proxy answers), and
                    // the {error: {code, message}} of other Microsoft services: read as a description, not shown as raw
                    // JSON. Neither is Partner Center's own error (its code), which tells a route Partner Center knows.
                    if (property.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var inner in property.Value.EnumerateObject())
                        {
                            if (string.Equals(inner.Name, "code", StringComparison.OrdinalIgnoreCase))
                            {
                                otherCode ??= ScalarText(inner.Value);
                            }
                            else if (string.Equals(inner.Name, "message", StringComparison.OrdinalIgnoreCase))
                            {
                                otherText ??= ScalarText(inner.Value);
                            }
                        }
                    }
                    else
                    {
                        otherCode ??= ScalarText(property.Value);
                    }
                }
                else if (string.Equals(property.Name, "error_description", StringComparison.OrdinalIgnoreCase))
                {
                    otherText ??= ScalarText(property.Value);
                }
            }

            description ??= (otherCode, otherText) switch
            {
                (null, null) => null,
                (null, _) => otherText,
                (_, null) => otherCode,
                _ => otherCode + ": " + otherText,
            };
            return (code, description);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-8.
            return (null, null);
        }
    }

    // Another endpoint's item: said plainly, with what shows it, rather than read as a row of unknowns.
    private static PartnerCenterInvalidResponseException NotItsOwn(string what, string where, WireItem item, (WireKind Kind, string Evidence) foreign) =>
        new($"The response to {what} holds {foreign.Kind.Name}, not {WireKinds.Of(item.GetType()).Name}: {where} has {foreign.Evidence}. Partner Center answered with another endpoint's document.");

    /// <summary>A UTF-8 byte order mark before the JSON is tolerated: public clients of Partner Center strip one.</summary>
    private static ReadOnlySpan<byte> WithoutByteOrderMark(byte[] body) => body.AsSpan(ByteOrderMarkLength(body));

    // The envelope; when it is not JSON only because its count is written with leading zeros (the documented
    // subscribed SKUs example: "totalCount": 04), read with the count as the number it means. The count is a figure the
    // rows do not need; nothing else is repaired but broken characters (UnicodeRepair): an item that cannot be read stays
    // an error.
    private static EnvelopeJson<TWire>? Deserialize<TWire>(byte[] body)
        where TWire : class
    {
        var sent = body;
        body = UnicodeRepair.Repaired(body);

        // The items are printed from the very bytes the serializer reads (see ItemListConverter); not when broken
        // characters were repaired: two items that differ only in them would print alike, so no copy is left out of
        // such a page.
        var printed = ReferenceEquals(body, sent);
        try
        {
            return Read(body, printed);
        }
        catch (JsonException) when (CountWithLeadingZeros(body) is { } zeros)
        {
            var repaired = new byte[body.Length - zeros.Length];
            Array.Copy(body, 0, repaired, 0, zeros.Start);
            Array.Copy(body, zeros.Start + zeros.Length, repaired, zeros.Start, body.Length - zeros.Start - zeros.Length);
            return Read(repaired, printed);
        }

        static EnvelopeJson<TWire>? Read(byte[] bytes, bool printed)
        {
            var parsed = bytes.AsMemory(ByteOrderMarkLength(bytes));
            using (ItemPrints.Reading(printed ? parsed : (ReadOnlyMemory<byte>?)null))
            {
                return JsonSerializer.Deserialize<EnvelopeJson<TWire>>(parsed.Span, Options);
            }
        }
    }

    /// <summary>
    /// Where the envelope's own count property (totalCount, in any casing, at the top level) has a number with leading
    /// zeros: the zeros to drop (all but the last digit's); null when it has none.
    /// </summary>
    internal static (int Start, int Length)? CountWithLeadingZeros(byte[] body)
    {
        var depth = 0;
        for (var i = ByteOrderMarkLength(body); i < body.Length; i++)
        {
            var b = body[i];
            if (b == (byte)'"')
            {
                var start = i + 1;
                i = EndOfString(body, start);
                if (depth == 1 && i > start && IsCount(body, start, i) && NumberAfterColon(body, i + 1) is { } number)
                {
                    var zeros = 0;
                    while (number + zeros + 1 < body.Length && body[number + zeros] == (byte)'0' && body[number + zeros + 1] is >= (byte)'0' and <= (byte)'9')
                    {
                        zeros++;
                    }

                    if (zeros > 0)
                    {
                        return (number, zeros);
                    }
                }

                continue;
            }

            depth += b is (byte)'{' or (byte)'[' ? 1 : b is (byte)'}' or (byte)']' ? -1 : 0;
        }

        return null;
    }

    private static int EndOfString(byte[] body, int start)
    {
        for (var i = start; i < body.Length; i++)
        {
            if (body[i] == (byte)'\\')
            {
                i++;
            }
            else if (body[i] == (byte)'"')
            {
                return i;
            }
        }

        return body.Length;
    }

    private static bool IsCount(byte[] body, int start, int end)
    {
        const string Name = "totalcount";
        if (end - start != Name.Length)
        {
            return false;
        }

        for (var i = 0; i < Name.Length; i++)
        {
            if ((char)(body[start + i] | 0x20) != Name[i])
            {
                return false;
            }
        }

        return true;
    }

    // The start of the number that follows the colon after a property name ending at quote; null when no number follows.
    private static int? NumberAfterColon(byte[] body, int i)
    {
        while (i < body.Length && body[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        if (i >= body.Length || body[i] != (byte)':')
        {
            return null;
        }

        i++;
        while (i < body.Length && body[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i < body.Length && body[i] is >= (byte)'0' and <= (byte)'9' ? i : null;
    }

    private static int ByteOrderMarkLength(byte[] body) =>
        body.Length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF ? 3 : 0;

    private static string? ScalarText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => VisibleText.Of(value.GetString()),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    private static string Describe(JsonException ex)
    {
        var where = ex.Path is null ? string.Empty : $" at {ex.Path}";
        var line = ex.LineNumber is null ? string.Empty : string.Format(CultureInfo.InvariantCulture, " (line {0}, byte {1})", ex.LineNumber + 1, ex.BytePositionInLine);
        var first = ex.Message.Split(new[] { ". " }, 2, StringSplitOptions.None)[0].TrimEnd('.');
        // The path holds the answer's own field names.
        return VisibleText.Of($"{first}{where}{line}.")!;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            // Numbers are read by the lenient converters; "NaN" and "Infinity" are no number of any field (no named literals).
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };
        options.Converters.Add(new LenientDateTimeOffsetConverter());
        options.Converters.Add(new EmptyAsNullGuidConverter());
        options.Converters.Add(new LenientInt64Converter());
        options.Converters.Add(new LenientDoubleConverter());
        options.Converters.Add(new LenientStringConverter());
        options.Converters.Add(new LenientBooleanConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>An id sent as an empty string, or as something that is not an id, is no id: null, not a failed page.</summary>
    private sealed class EmptyAsNullGuidConverter : ReadOnlyJsonConverter<Guid?>
    {
        public override Guid? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                UnreadableValues.Skip(ref reader, "id");
                return null;
            }

            if (reader.TryGetGuid(out var id))
            {
                return id;
            }

            var text = reader.GetString();
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            // Other spellings of a GUID (braces, no hyphens) are still the id; anything else is no id.
            if (Guid.TryParse(text, out var other))
            {
                return other;
            }

            UnreadableValues.Add("id", text!);
            return null;
        }
    }

    /// <summary>
    /// ISO 8601 with or without offset, or what the invariant culture reads; a time without offset is UTC (a service
    /// clock, not the user's). Anything else, an empty string included, is no date.
    /// </summary>
    private sealed class LenientDateTimeOffsetConverter : ReadOnlyJsonConverter<DateTimeOffset?>
    {
        public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                UnreadableValues.Skip(ref reader, "date");
                return null;
            }

            // The ISO 8601 forms Partner Center writes, read without a string: 10,000 rows a page each have a date.
            if (!reader.HasValueSequence && !reader.ValueIsEscaped)
            {
                var raw = reader.ValueSpan;
                var hasOffset = raw.Length > 10 && (raw[raw.Length - 1] == (byte)'Z' || raw.Slice(10).IndexOfAny((byte)'+', (byte)'-') >= 0);
                if (hasOffset && reader.TryGetDateTimeOffset(out var withOffset))
                {
                    return withOffset;
                }

                if (!hasOffset && reader.TryGetDateTime(out var unspecified))
                {
                    return new DateTimeOffset(DateTime.SpecifyKind(unspecified, DateTimeKind.Utc));
                }
            }

            var text = reader.GetString();
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value))
            {
                return value;
            }

            UnreadableValues.Add("date", text!);
            return null;
        }
    }
}

/// <summary>Text helpers for bodies that end up in messages.</summary>
internal static class BodyText
{
    /// <summary>
    /// The start of a body as text, for an error message: <paramref name="redact"/> applied first, then cut to
    /// <paramref name="maxChars"/>, then made visible. Cut first, a token the body echoes would be cut where no
    /// redaction could recognise it (its first 70 characters were shown); the redaction also takes out any run of a
    /// token's characters that the window itself cut (<see cref="PartnerCenterOperation.Redact"/>).
    /// </summary>
    public static string Excerpt(byte[] body, Func<string?, string?> redact, int maxChars = 200)
    {
        var text = redact(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, maxChars * 4))) ?? string.Empty;
        return VisibleText.Of(text.Length <= maxChars ? text : text.Substring(0, maxChars) + "…")!;
    }
}
