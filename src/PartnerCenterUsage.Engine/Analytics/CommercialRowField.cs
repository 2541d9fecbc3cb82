using System;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// One field of a commercial report's rows: the API's name of it, what it may be used for, how a row's value is read
/// (as text, to match wildcards and key groups) and how it is cleared (a grouped row has no value for a field it is
/// not grouped on). The API documents every field of these reports for both filter and groupby, hence the default.
/// </summary>
/// <typeparam name="TRow">The model of the rows.</typeparam>
/// <param name="which">The field, named as the model's property (and the cmdlets' parameter) is.</param>
/// <param name="apiName">The field's name in the API's filter and groupby.</param>
/// <param name="read">A row's value as text; null when unknown.</param>
/// <param name="clear">Sets a row's value to unknown.</param>
/// <param name="uses">What the field may be used for.</param>
internal sealed class CommercialRowField<TRow>(
    CommercialField which, string apiName, Func<TRow, string?> read, Action<TRow> clear,
    CommercialFieldUses uses = CommercialFieldUses.Filter | CommercialFieldUses.GroupBy)
{
    /// <summary>The field, named as the model's property (and the cmdlets' parameter) is.</summary>
    public CommercialField Field => which;

    /// <summary>The field's name in the API's filter and groupby.</summary>
    public string ApiName => apiName;

    /// <summary>A row's value as text; null when unknown.</summary>
    public string? Read(TRow row) => read(row);

    /// <summary>Sets a row's value to unknown.</summary>
    public void Clear(TRow row) => clear(row);

    /// <summary>What the field may be used for.</summary>
    public CommercialFieldUses Uses => uses;
}
