using System;

namespace PartnerCenterUsage.Models;

/// <summary>
/// A customer of the partner, flat and scalar. Its <see cref="CustomerId"/> binds by property name into every
/// per-customer cmdlet.
/// </summary>
public sealed class PartnerCustomer
{
    /// <summary>The customer's id in Partner Center; empty when Partner Center did not send one.</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>The company name.</summary>
    public string? CompanyName { get; set; }

    /// <summary>The default domain.</summary>
    public string? Domain { get; set; }

    /// <summary>The customer's Entra tenant id.</summary>
    public Guid? TenantId { get; set; }

    /// <summary>The partner's relationship to the customer: reseller, advisor, none...</summary>
    public string? RelationshipToPartner { get; set; }

    /// <summary>The commerce id.</summary>
    public string? CommerceId { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"{CompanyName} ({CustomerId})";
}
