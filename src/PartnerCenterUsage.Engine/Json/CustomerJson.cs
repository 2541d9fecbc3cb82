using System;
using System.Text.Json.Serialization;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>The JSON names of Partner Center's customer resource; read, then flattened.</summary>
[WireKind("customers", "Customer")]
internal sealed class CustomerJson : WireItem
{
    [JsonPropertyName("id")]
    public Guid? Id { get; set; }

    [OwnField]
    [JsonPropertyName("commerceId")]
    public string? CommerceId { get; set; }

    [OwnField]
    [JsonPropertyName("companyProfile")]
    public CompanyProfileJson? CompanyProfile { get; set; }

    [OwnField]
    [JsonPropertyName("billingProfile")]
    public BillingProfileJson? BillingProfile { get; set; }

    [OwnField]
    [JsonPropertyName("relationshipToPartner")]
    public string? RelationshipToPartner { get; set; }

    /// <inheritdoc/>
    public override bool IsEmpty => Id is null && CommerceId is null && RelationshipToPartner is null && CompanyProfile is null && BillingProfile is null;

    public PartnerCustomer ToCustomer() => new()
    {
        CustomerId = Id,
        // The company profile's name; a customer documented with none has its billing profile's.
        CompanyName = NonEmpty(CompanyProfile?.CompanyName) ?? NonEmpty(BillingProfile?.CompanyName),
        Domain = CompanyProfile?.Domain,
        TenantId = CompanyProfile?.TenantId,
        RelationshipToPartner = RelationshipToPartner,
        CommerceId = CommerceId,
    };

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    internal sealed class BillingProfileJson
    {
        [JsonPropertyName("companyName")]
        public string? CompanyName { get; set; }
    }

    internal sealed class CompanyProfileJson
    {
        [JsonPropertyName("tenantId")]
        public Guid? TenantId { get; set; }

        [JsonPropertyName("domain")]
        public string? Domain { get; set; }

        [JsonPropertyName("companyName")]
        public string? CompanyName { get; set; }
    }
}

