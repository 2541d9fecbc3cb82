using System;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// What the rows of both commercial reports have: the fields they share and the processing date. Both models implement
/// it so that <see cref="CommercialRows{TRow}"/> describes the shared fields once, for either report.
/// </summary>
internal interface ICommercialRow
{
    /// <summary>The customer's id.</summary>
    Guid? CustomerId { get; set; }

    /// <summary>The customer's company name.</summary>
    string? CustomerName { get; set; }

    /// <summary>The product's id.</summary>
    string? ProductId { get; set; }

    /// <summary>The product's name.</summary>
    string? ProductName { get; set; }

    /// <summary>The service code.</summary>
    string? ServiceCode { get; set; }

    /// <summary>The service's name.</summary>
    string? ServiceName { get; set; }

    /// <summary>The sales channel.</summary>
    string? Channel { get; set; }

    /// <summary>When Partner Center computed the figures.</summary>
    DateTimeOffset? ProcessedDateTime { get; set; }
}
