namespace PartnerCenterUsage.Engine;

/// <summary>
/// A field of the commercial analytics' rows that can be filtered and grouped on, named as the output properties
/// spell it; <see cref="CommercialQuery.ApiName"/> gives the API's name.
/// </summary>
public enum CommercialField
{
    /// <summary>The customer's id (the API's customerTenantId).</summary>
    CustomerId,

    /// <summary>The customer's company name.</summary>
    CustomerName,

    /// <summary>The product's id.</summary>
    ProductId,

    /// <summary>The product's name.</summary>
    ProductName,

    /// <summary>The service code.</summary>
    ServiceCode,

    /// <summary>The service's name.</summary>
    ServiceName,

    /// <summary>The workload code (usage only).</summary>
    WorkloadCode,

    /// <summary>The workload's name (usage only).</summary>
    WorkloadName,

    /// <summary>The sales channel.</summary>
    Channel,
}
