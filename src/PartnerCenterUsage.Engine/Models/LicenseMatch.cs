namespace PartnerCenterUsage.Models;

/// <summary>How a row of Get-PCLicenseReduction joined the analytics' product with this partner's subscriptions.</summary>
public enum LicenseMatch
{
    /// <summary>Every subscription of the row was matched to the product by its Microsoft Entra SKU id.</summary>
    Matched,

    /// <summary>The analytics count the product, but no subscription of this partner carries it: its seats come from elsewhere.</summary>
    NoSubscription,

    /// <summary>The subscriptions carry a product the customer's analytics do not count (yet): usage is unknown.</summary>
    NotInAnalytics,

    /// <summary>A subscription could carry more than one of the customer's products; it is counted against none of them.</summary>
    Ambiguous,

    /// <summary>What a subscription carries could not be learnt (no SKU id in the catalog or the provisioning status).</summary>
    Missing,
}
