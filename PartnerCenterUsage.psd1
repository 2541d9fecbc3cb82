@{
    RootModule             = 'PartnerCenterUsage.dll'

    # Written by the build from <VersionPrefix> in Directory.Build.props: change the version there, not here.
    ModuleVersion          = '0.0.0'

    GUID                   = '5b0f6c8e-2d4a-4c61-9a57-3f7e1d2b9c40'
    Author                 = 'PartnerCenterUsage contributors'
    CompanyName            = 'PartnerCenterUsage contributors'
    Copyright              = '(c) PartnerCenterUsage contributors. All rights reserved.'
    Description            = 'License usage of Microsoft Partner Center (CSP) customers as typed objects on the pipeline.'

    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'

    FormatsToProcess       = @('PartnerCenterUsage.format.ps1xml')

    CmdletsToExport        = @(
        'Connect-PCPartner'
        'Disconnect-PCPartner'
        'Export-PCLicenseReport'
        'Get-PCContext'
        'Get-PCCustomer'
        'Get-PCCustomerLicenseDeployment'
        'Get-PCCustomerLicenseUsage'
        'Get-PCCustomerSubscribedSku'
        'Get-PCCustomerSubscription'
        'Get-PCLicenseDeployment'
        'Get-PCLicenseReduction'
        'Get-PCLicenseUsage'
        'Get-PCPartnerLicenseDeployment'
        'Get-PCPartnerLicenseUsage'
        'Import-PCLicenseReport'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()

    PrivateData            = @{
        PSData = @{
            Tags         = @('PartnerCenter', 'CSP', 'Licensing', 'Microsoft365', 'PSEdition_Desktop', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/PartnerCenterUsage/PartnerCenterUsage'
            LicenseUri   = 'https://github.com/PartnerCenterUsage/PartnerCenterUsage/blob/main/LICENSE'
            ReleaseNotes = 'See CHANGELOG.md: customers and their license usage, concurrent and throttling-aware; sign-in by browser, device code, Secure Application Model or access token; isolated from other modules'' MSAL. Tested in PowerShell 7 on Linux. Windows PowerShell 5.1 gets a dependency set of its own (net472) checked from Linux by metadata, but has not yet run on Windows: tests/Windows/Test-WindowsPowerShell.ps1 is the check.'
        }
    }
}
