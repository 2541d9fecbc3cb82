using System;
using System.Text.Json;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>
/// Reads an item's <c>attributes</c> object for its <c>objectType</c> only (the documented names come back as one shared
/// string each, not a copy per item); attributes that are not an object, or an objectType that is not a string, are no
/// objectType.
/// </summary>
internal sealed class ObjectTypeConverter : ReadOnlyJsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? objectType = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isObjectType = reader.ValueTextEquals("objectType")
                || ((reader.ValueIsEscaped || reader.ValueSpan.Length == "objectType".Length) && string.Equals(reader.GetString(), "objectType", StringComparison.OrdinalIgnoreCase));
            reader.Read();
            if (isObjectType && reader.TokenType == JsonTokenType.String)
            {
                objectType = WireKinds.KnownObjectType(ref reader) ?? reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return objectType;
    }
}
