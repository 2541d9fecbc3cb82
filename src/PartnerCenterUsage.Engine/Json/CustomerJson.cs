using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>The JSON names of Partner Center's customer resource and its paged collection; read, then flattened.</summary>
internal sealed class CustomerJson
{
    [JsonPropertyName("id")]
    public Guid Id { get; set; }

    [JsonPropertyName("commerceId")]
    public string? CommerceId { get; set; }

    [JsonPropertyName("companyProfile")]
    public CompanyProfileJson? CompanyProfile { get; set; }

    [JsonPropertyName("relationshipToPartner")]
    public string? RelationshipToPartner { get; set; }

    public PartnerCustomer ToCustomer() => new()
    {
        CustomerId = Id,
        CompanyName = CompanyProfile?.CompanyName,
        Domain = CompanyProfile?.Domain,
        TenantId = CompanyProfile?.TenantId,
        RelationshipToPartner = RelationshipToPartner,
        CommerceId = CommerceId,
    };

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

/// <summary>The paging part of a collection: <c>links.next</c> with the request to make for the next page.</summary>
internal sealed class PagingJson
{
    [JsonPropertyName("continuationToken")]
    public string? ContinuationToken { get; set; }

    [JsonPropertyName("links")]
    public LinksJson? Links { get; set; }

    internal sealed class LinksJson
    {
        [JsonPropertyName("next")]
        public LinkJson? Next { get; set; }
    }

    internal sealed class LinkJson
    {
        [JsonPropertyName("uri")]
        public string? Uri { get; set; }

        [JsonPropertyName("method")]
        public string? Method { get; set; }

        [JsonPropertyName("headers")]
        public List<HeaderJson>? Headers { get; set; }
    }

    internal sealed class HeaderJson
    {
        [JsonPropertyName("key")]
        public string? Key { get; set; }

        [JsonPropertyName("value")]
        public string? Value { get; set; }
    }
}
