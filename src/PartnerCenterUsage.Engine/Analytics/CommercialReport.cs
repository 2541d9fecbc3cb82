namespace PartnerCenterUsage.Engine;

/// <summary>The two reports of the commercial analytics.</summary>
public enum CommercialReport
{
    /// <summary>License usage: active and qualified licenses per customer, product and workload.</summary>
    Usage,

    /// <summary>License deployment: sold and deployed licenses per customer and product.</summary>
    Deployment,
}
