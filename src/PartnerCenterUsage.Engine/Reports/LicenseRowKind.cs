namespace PartnerCenterUsage.Engine.Reports;

/// <summary>The kinds of row a license report reads.</summary>
internal enum LicenseRowKind
{
    /// <summary>CustomerLicenseUsage: qualified and active licenses.</summary>
    Usage,

    /// <summary>CustomerLicenseDeployment: licenses sold and deployed.</summary>
    Deployment,

    /// <summary>CustomerSubscribedSku: units available, live (no processed date).</summary>
    SubscribedSku,

    /// <summary>CustomerLicenseReduction: seats to cut now and at renewal, by when (the "Act before renewal" section).</summary>
    Reduction,
}
