#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    User-level scenarios of PartnerCenterUsage in a real pwsh (or Windows PowerShell 5.1), against the local
    simulator: Invoke-Pester ./tests/Pester after `dotnet build -c Release` (or ./build.ps1 -Task Test).
    The simulator is started here with `dotnet run` on a free loopback port and stopped at the end.
#>

BeforeAll {
    $repo = (Resolve-Path (Join-Path (Join-Path $PSScriptRoot '..') '..')).Path
    $module = [System.IO.Path]::Combine($repo, 'out', 'PartnerCenterUsage', 'PartnerCenterUsage.psd1')
    if (-not (Test-Path $module)) {
        throw "The module is not built: run 'dotnet build -c Release' (or ./build.ps1) first."
    }

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = $listener.LocalEndpoint.Port
    $listener.Stop()
    $script:Endpoint = "http://127.0.0.1:$port"
    $script:SeedCustomer = '4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04'
    $simulatorProject = [System.IO.Path]::Combine($repo, 'src', 'PartnerCenterUsage.Simulator')
    $script:Simulator = Start-Process -FilePath dotnet -PassThru -NoNewWindow -RedirectStandardOutput (Join-Path $TestDrive 'simulator.log') -ArgumentList @(
        'run', '--project', "`"$simulatorProject`"", '--', '--urls', $script:Endpoint, '--customers', '30')

    $deadline = (Get-Date).AddMinutes(3)
    do {
        Start-Sleep -Milliseconds 500
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $up = $client.ConnectAsync('127.0.0.1', $port).Wait(500) } catch { $up = $false } finally { $client.Dispose() }
    } until ($up -or (Get-Date) -gt $deadline)
    if (-not $up) { throw "The simulator did not start on $script:Endpoint." }

    Import-Module $module -Force
    $script:Context = Connect-PCPartner -AccessToken simulator-token -Endpoint $script:Endpoint
}

AfterAll {
    Disconnect-PCPartner
    if ($script:Simulator) { Stop-Process -Id $script:Simulator.Id -Force -ErrorAction SilentlyContinue }
}

Describe 'Connect-PCPartner' {
    It 'writes the context, which never holds the token' {
        $script:Context.ApiEndpoint.ToString() | Should -Be "$script:Endpoint/"
        $script:Context.SignInKind.ToString() | Should -Be 'AccessToken'
        ($script:Context | Format-List * | Out-String) | Should -Not -Match 'simulator-token'
    }

    It 'is a connection of this session only' {
        $other = [powershell]::Create()
        try {
            $null = $other.AddScript("Import-Module '$module'; Get-PCContext")
            $other.Invoke() | Should -BeNullOrEmpty
        }
        finally { $other.Dispose() }
    }
}

Describe 'Per-customer report' {
    It 'returns the documented example, five typed rows' {
        $rows = Get-PCCustomerLicenseUsage -CustomerId $script:SeedCustomer
        $rows | Should -HaveCount 5
        $rows[0].CustomerName | Should -Be 'DT DEMO CSP CUSTOMER 005'
        $rows[0].LicensesQualified | Should -BeOfType [long]
        $rows.WorkloadName | Should -Contain 'Skype For Business'
    }
}

Describe 'Portfolio report' {
    It 'streams every customer through Get-PCCustomerLicenseUsage and filters with Where-Object' {
        $customers = Get-PCCustomer
        $customers.Count | Should -BeGreaterThan 20
        $underused = $customers | Get-PCCustomerLicenseUsage | Where-Object { $_.LicensesQualified -gt 0 -and $_.UsagePercent -lt 50 }
        $underused | Should -Not -BeNullOrEmpty
        $underused | ForEach-Object { $_.UsagePercent | Should -BeLessThan 50 }
    }

    It 'keeps the input order of customers' {
        $ids = (Get-PCCustomer | Select-Object -First 10).CustomerId
        $seen = (Get-PCCustomerLicenseUsage -CustomerId $ids).CustomerId | Select-Object -Unique
        $expected = $ids | Where-Object { $seen -contains $_ }
        $seen | Should -Be $expected
    }
}

Describe 'Export-Csv and Import-Csv' {
    It 'round-trips with typed columns' {
        $path = Join-Path $TestDrive 'usage.csv'
        Get-PCCustomerLicenseUsage -CustomerId $script:SeedCustomer | Export-Csv -Path $path -NoTypeInformation
        $back = Import-Csv -Path $path
        $back | Should -HaveCount 5
        ($back[0].PSObject.Properties.Name) | Should -Contain 'UsagePercent'
        [long]$back[3].LicensesQualified | Should -Be 5
        [double]$back[0].UsagePercent | Should -Be 0
        [guid]$back[0].CustomerId | Should -Be ([guid]$script:SeedCustomer)
        [datetimeoffset]$back[0].ProcessedDateTime | Should -Be ([datetimeoffset]'2017-03-09T00:00:00+00:00')
    }
}

Describe 'Errors' {
    It 'reports an unknown customer as CustomerNotFound and goes on with the next' {
        $unknown = [guid]::NewGuid()
        $rows = $unknown, $script:SeedCustomer | Get-PCCustomerLicenseUsage -ErrorVariable failed -ErrorAction SilentlyContinue
        $rows | Should -HaveCount 5
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'CustomerNotFound,*'
        $failed[0].TargetObject | Should -Be $unknown
    }

    It 'refuses an id that is not a GUID before any request' {
        { Get-PCCustomerLicenseUsage -CustomerId 'contoso.onmicrosoft.com' -ErrorAction Stop } | Should -Throw
    }

    It 'stops with NotConnected in a session without Connect-PCPartner' {
        $other = [powershell]::Create()
        try {
            $null = $other.AddScript("Import-Module '$module'; try { Get-PCCustomerLicenseUsage $script:SeedCustomer } catch { `$_.FullyQualifiedErrorId }")
            ($other.Invoke() | Select-Object -First 1) | Should -BeLike 'NotConnected,*'
        }
        finally { $other.Dispose() }
    }
}

Describe 'Help' {
    It 'documents <_> with synopsis, parameters and examples' -ForEach @('Connect-PCPartner', 'Disconnect-PCPartner', 'Get-PCContext', 'Get-PCCustomer', 'Get-PCCustomerLicenseUsage') {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$_ *"
        @($help.examples.example).Count | Should -BeGreaterThan 0
    }

    It 'has the about_PartnerCenterUsage topic' {
        (Get-Help about_PartnerCenterUsage | Out-String) | Should -Match 'THROTTLING AND RETRIES'
    }
}
