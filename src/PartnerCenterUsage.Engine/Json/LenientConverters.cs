using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>
/// What a read found unreadable: values of a field that are not what the field holds ('yesterday' for a date, 'many' for
/// a count). They are read as unknown (null) rather than failing the whole answer, and reported once per run.
/// </summary>
internal static class UnreadableValues
{
    [ThreadStatic]
    private static List<UnreadableValue>? t_found;

    /// <summary>Starts collecting on this thread, for one synchronous read.</summary>
    public static void Start() => t_found = new List<UnreadableValue>();

    /// <summary>Stops collecting and returns what was found.</summary>
    public static IReadOnlyList<UnreadableValue> Stop()
    {
        var found = t_found ?? new List<UnreadableValue>();
        t_found = null;
        return found;
    }

    /// <summary>Notes a value that is not a <paramref name="kind"/>.</summary>
    public static void Add(string kind, string value)
    {
        if (t_found is { Count: < 5 } found)
        {
            // Kept whole (within reason) until it is shown: it is shortened only after any token in it is redacted.
            found.Add(new UnreadableValue(kind, value.Length > 4096 ? value.Substring(0, 4096) : value));
        }
    }

    /// <summary>Skips any value and notes it: an object or array where a scalar belongs, a scalar where an object does.</summary>
    public static void Skip(ref Utf8JsonReader reader, string kind)
    {
        var token = reader.TokenType;
        var text = token switch
        {
            JsonTokenType.StartObject => "{...}",
            JsonTokenType.StartArray => "[...]",
            JsonTokenType.String or JsonTokenType.Number => Text(ref reader),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            _ => token.ToString(),
        };
        reader.Skip();
        Add(kind, text);
    }

    /// <summary>The text of a scalar token, for a message.</summary>
    public static string Text(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString() ?? string.Empty : System.Text.Encoding.UTF8.GetString(reader.ValueSpan.ToArray());
}

/// <summary>
/// A converter of Partner Center's JSON, which the engine reads and never writes. A null is the converter's to read (an
/// explicit null is unknown, like a missing value).
/// </summary>
internal abstract class ReadOnlyJsonConverter<T> : JsonConverter<T>
{
    public override bool HandleNull => true;

    public sealed override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Partner Center's JSON is only read.");
}

/// <summary>A value that could not be read as what its field holds, and what that is ("date", "count").</summary>
internal sealed class UnreadableValue(string kind, string value)
{
    public string Kind { get; } = kind;

    public string Value { get; } = value;

    /// <summary>For a message: the value, with <paramref name="redact"/> applied, then shortened, then made visible.</summary>
    public string Describe(Func<string, string> redact)
    {
        var shown = redact(Value);
        var article = Kind.Length > 0 && "aeiou".IndexOf(char.ToLowerInvariant(Kind[0])) >= 0 ? "an" : "a";
        return $"'{VisibleText.Of(shown.Length > 40 ? shown.Substring(0, 40) + "…" : shown)}' for {article} {Kind}";
    }
}

/// <summary>
/// A count: a whole number of 0 or more, in a string or not, with '.0' or not (read exactly, not through a double);
/// anything else (a fraction, a negative number, text) is unknown.
/// </summary>
internal sealed class LenientInt64Converter : ReadOnlyJsonConverter<long?>
{
    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt64(out var whole) && whole >= 0:
                return whole;
            case JsonTokenType.Number or JsonTokenType.String:
                var text = UnreadableValues.Text(ref reader).Trim();
                if (text.Length == 0)
                {
                    return null;
                }

                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    && number == decimal.Truncate(number) && number >= 0 && number <= long.MaxValue
                    && !text.StartsWith("-", StringComparison.Ordinal))
                {
                    return (long)number;
                }

                UnreadableValues.Add("count", text);
                return null;
            default:
                UnreadableValues.Skip(ref reader, "count");
                return null;
        }
    }
}

/// <summary>
/// A share or a measure: a finite number, in a string or not; anything else is unknown. A number beyond a double
/// (1e400, which .NET reads as Infinity) and the names "NaN" and "Infinity" are no share.
/// </summary>
internal sealed class LenientDoubleConverter : ReadOnlyJsonConverter<double?>
{
    public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetDouble(out var number) && !double.IsInfinity(number) && !double.IsNaN(number):
                return number;
            case JsonTokenType.Number or JsonTokenType.String:
                var text = UnreadableValues.Text(ref reader).Trim();
                if (text.Length == 0)
                {
                    return null;
                }

                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && !double.IsNaN(parsed) && !double.IsInfinity(parsed))
                {
                    return parsed;
                }

                UnreadableValues.Add("number", text);
                return null;
            default:
                UnreadableValues.Skip(ref reader, "number");
                return null;
        }
    }
}

/// <summary>
/// Text: a string, or the text of a number or boolean; an object or array is unknown. Every text the service sends is
/// read through here, made visible (<see cref="VisibleText"/>): no name, id or code can drive the terminal or the page
/// that shows it.
/// </summary>
internal sealed class LenientStringConverter : ReadOnlyJsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return VisibleText.Of(reader.GetString());
            case JsonTokenType.Number:
                return UnreadableValues.Text(ref reader);
            case JsonTokenType.True or JsonTokenType.False:
                return reader.GetBoolean() ? "true" : "false";
            default:
                UnreadableValues.Skip(ref reader, "text");
                return null;
        }
    }
}

/// <summary>An object field: read as such; anything else (a string, a number, an array) is unknown, not a failed answer.</summary>
internal sealed class LenientObjectConverter<T> : ReadOnlyJsonConverter<T?>
    where T : class
{
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return JsonSerializer.Deserialize<T>(ref reader, options);
        }

        if (reader.TokenType != JsonTokenType.Null)
        {
            UnreadableValues.Add("object", reader.TokenType is JsonTokenType.StartArray ? "[...]" : UnreadableValues.Text(ref reader));
            reader.Skip();
        }

        return null;
    }
}

/// <summary>
/// A list field of objects: read as such, item by item; anything else is unknown, not a failed answer. An item that is
/// not an object (a string, a number, a list) is unknown too (null) and noted: it costs that item, not the list, nor the
/// row that holds it, nor the page. (Deserializing the list whole did: one string among a SKU's service plans failed
/// the customer's every SKU.)
/// </summary>
internal sealed class LenientListConverter<T> : ReadOnlyJsonConverter<List<T?>?>
    where T : class
{
    public override List<T?>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var items = new List<T?>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        items.Add(JsonSerializer.Deserialize<T>(ref reader, options));
                        break;
                    case JsonTokenType.Null:
                        items.Add(null);
                        break;
                    default:
                        UnreadableValues.Skip(ref reader, "list item");
                        items.Add(null);
                        break;
                }
            }

            return items;
        }

        if (reader.TokenType != JsonTokenType.Null)
        {
            UnreadableValues.Add("list", reader.TokenType is JsonTokenType.StartObject ? "{...}" : UnreadableValues.Text(ref reader));
            reader.Skip();
        }

        return null;
    }
}

/// <summary>
/// A field of the envelope (a next link, a continuation token): a string or nothing. Anything else is not taken for
/// "no next page", which would end a listing early without a word: it makes the answer unreadable.
/// </summary>
internal sealed class StrictStringConverter : ReadOnlyJsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetString(),
            _ => throw new JsonException($"A paging field holds {reader.TokenType} where a string belongs."),
        };
}

/// <summary>The envelope's total: a whole number of 0 or more (in a string or not) or nothing; anything else makes the answer unreadable.</summary>
internal sealed class StrictCountConverter : ReadOnlyJsonConverter<long?>
{
    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number) && number >= 0)
        {
            return number;
        }

        if (reader.TokenType == JsonTokenType.String
            && long.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw new JsonException($"The total count holds {reader.TokenType} that is not a whole number.");
    }
}

/// <summary>
/// A yes or no: true or false, or the text "true"/"false" in any case (some answers quote them); anything else (a
/// number, other text) is unknown, never taken for false.
/// </summary>
internal sealed class LenientBooleanConverter : ReadOnlyJsonConverter<bool?>
{
    public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.True or JsonTokenType.False:
                return reader.GetBoolean();
            case JsonTokenType.String or JsonTokenType.Number:
                var text = UnreadableValues.Text(ref reader).Trim();
                if (text.Length == 0)
                {
                    return null;
                }

                if (bool.TryParse(text, out var parsed))
                {
                    return parsed;
                }

                UnreadableValues.Add("yes or no", text);
                return null;
            default:
                UnreadableValues.Skip(ref reader, "yes or no");
                return null;
        }
    }
}
