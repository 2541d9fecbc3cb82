#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    build.ps1 as a user runs it, in a new pwsh each time (`pwsh -File`), into a folder of the test's own so that it never
    touches out/: Build, Package (the package installs from a local repository into a home of its own, imports by name
    and reports), Docs (platyPS cannot be had: skipped and said, not failed), and bad tasks refused. Docs is given a
    repository that refuses connections at once, so the test neither waits for an unreachable Gallery to time out nor
    installs platyPS into the user's modules where the Gallery can be reached.

    `dotnet test` leaves this file out; .ci/run runs it as a step of its own:
    dotnet tool run pwsh -File tests/Pester/Invoke-PesterSuite.ps1 -Path tests/Pester/Build.Tests.ps1
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Out = Join-Path $TestDrive 'out'

    # build.ps1 as a user runs it from a shell: `pwsh -File build.ps1 <arguments>`, in a new pwsh, from the repository.
    function Invoke-BuildScript {
        param([string] $Arguments)
        Invoke-ChildShell -WorkingDirectory $script:RepoRoot -Script @"
& dotnet (Join-Path `$PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File '$(Join-Path $script:RepoRoot 'build.ps1')' $Arguments
exit `$LASTEXITCODE
"@
    }

    # -Task Build,Package is one string when pwsh -File passes it.
    $script:Built = Invoke-BuildScript "-Task Build,Package -OutputDirectory '$script:Out'"
}

Describe 'build.ps1 -Task Build,Package' {
    It 'succeeds' {
        $script:Built.ExitCode | Should -Be 0 -Because $script:Built.Text
    }

    It 'assembles the module in the output directory' {
        $manifest = Join-Path $script:Out 'PartnerCenterUsage' 'PartnerCenterUsage.psd1'
        Test-Path $manifest | Should -BeTrue
        (Test-ModuleManifest $manifest).ExportedCmdlets.Keys | Should -Contain 'Get-PCCustomerLicenseUsage'
        Test-Path (Join-Path $script:Out 'PartnerCenterUsage' 'Dependencies' 'Core' 'PartnerCenterUsage.Engine.dll') | Should -BeTrue
        Test-Path (Join-Path $script:Out 'PartnerCenterUsage' 'Dependencies' 'Desktop' 'PartnerCenterUsage.Engine.dll') | Should -BeTrue
        Test-Path (Join-Path $script:Out 'PartnerCenterUsage' 'en-US' 'PartnerCenterUsage.dll-Help.xml') | Should -BeTrue
    }

    It 'writes the package' {
        @(Get-ChildItem (Join-Path $script:Out 'package') -Filter 'PartnerCenterUsage.*.nupkg') | Should -HaveCount 1
    }

    It 'removes the repository it registered to publish' {
        @(Get-PSResourceRepository | Where-Object Name -like 'PartnerCenterUsageBuild*') | Should -BeNullOrEmpty
    }

    # On Windows the user's module folder comes from the Documents folder, which no environment variable moves.
    It 'makes a package that installs with Install-PSResource, imports by name and reports' -Skip:$IsWindows {
        $simulator = Start-TestSimulator -Customers 3
        try {
            # A home of its own: the repository, the installed module and the module path are those of a new user.
            $userHome = Join-Path $TestDrive 'home'
            New-Item -ItemType Directory -Path $userHome -Force | Out-Null
            $result = Invoke-ChildShell -Environment @{ HOME = $userHome; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; PSModulePath = $null } -Script @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name PesterLocal -Uri '$(Join-Path $script:Out 'package')' -Trusted
Install-PSResource -Name PartnerCenterUsage -Repository PesterLocal -Scope CurrentUser -Quiet
"@
            $result.ExitCode | Should -Be 0 -Because $result.Text

            $report = Invoke-ChildShell -Environment @{ HOME = $userHome; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; PSModulePath = $null } -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module PartnerCenterUsage
'loaded from ' + (Get-Module PartnerCenterUsage).ModuleBase
Connect-PCPartner -AccessToken simulator-token -Endpoint '$($simulator.Endpoint)' | Out-Null
Get-PCCustomer | Get-PCCustomerLicenseUsage | Measure-Object | ForEach-Object { 'rows: ' + `$_.Count }
"@
            $report.ExitCode | Should -Be 0 -Because $report.Text
            $report.Text | Should -Match ('loaded from ' + [regex]::Escape($userHome))
            $report.Text | Should -Match 'rows: [1-9]'
        }
        finally { Stop-TestSimulator $simulator }
    }
}

Describe 'build.ps1 -Task Docs' {
    It 'says what it skipped when platyPS cannot be had, and does not fail' {
        # A loopback port nobody listens on: the repository cannot be reached, and says so at once.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $unreachable = "http://127.0.0.1:$($listener.LocalEndpoint.Port)/v3/index.json"
        $listener.Stop()

        $result = Invoke-BuildScript "-Task Docs -OutputDirectory '$script:Out' -Repository '$unreachable'"

        $result.ExitCode | Should -Be 0 -Because $result.Text
        if (Get-Module -ListAvailable platyPS) {
            $result.Text | Should -Match 'Help compiled by platyPS'
        }
        else {
            $result.Text | Should -Match 'Skipped: platyPS help'
            $result.Text | Should -Match ([regex]::Escape("$unreachable could not be reached"))
        }
        @(Get-PSResourceRepository | Where-Object Name -like 'PartnerCenterUsageBuild*') | Should -BeNullOrEmpty
    }
}

Describe 'build.ps1 -Task' {
    It 'refuses an unknown task before doing anything' {
        $result = Invoke-BuildScript "-Task Build,Deploy -OutputDirectory '$(Join-Path $TestDrive 'refused')'"

        $result.ExitCode | Should -Not -Be 0
        $result.Text | Should -Match 'Clean, Build, Test, Docs, Package and Screenshot'
        Test-Path (Join-Path $TestDrive 'refused') | Should -BeFalse
    }
}
