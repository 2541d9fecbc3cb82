using System;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// One field of a commercial report's rows: the API's name of it, what it may be used for, how a row's value is read
/// (as text, to match wildcards and key groups) and how it is cleared (a grouped row has no value for a field it is
/// not grouped on).
/// </summary>
/// <typeparam name="TRow">The model of the rows.</typeparam>
internal sealed class CommercialRowField<TRow>
{
    /// <summary>Describes a field; the API documents every field of these reports for both filter and groupby.</summary>
    public CommercialRowField(
        CommercialField field, string apiName, Func<TRow, string?> read, Action<TRow> clear,
        CommercialFieldUses uses = CommercialFieldUses.Filter | CommercialFieldUses.GroupBy)
    {
        Field = field;
        ApiName = apiName;
        Read = read;
        Clear = clear;
        Uses = uses;
    }

    /// <summary>The field, named as the model's property (and the cmdlets' parameter) is.</summary>
    public CommercialField Field { get; }

    /// <summary>The field's name in the API's filter and groupby.</summary>
    public string ApiName { get; }

    /// <summary>A row's value as text; null when unknown.</summary>
    public Func<TRow, string?> Read { get; }

    /// <summary>Sets a row's value to unknown.</summary>
    public Action<TRow> Clear { get; }

    /// <summary>What the field may be used for.</summary>
    public CommercialFieldUses Uses { get; }
}
