#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    What a real shell shows of text a hostile service sends: customer, product, workload and service plan names holding
    the OSC escape that sets a terminal's title (ESC ] 0 ; ... BEL), one that clears the screen, a CSI in its 8-bit form,
    a bidi override, DEL, NUL, tab and line ends. The default table and list views, a real terminal of 120 columns and
    the HTML report must hold no control character of theirs: the module reads each as its visible picture.
    The service is a small HttpListener in this pwsh, answering the documented envelopes with those names.
#>

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:NoPseudoTerminal = -not (Test-PseudoTerminal)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Module = Get-BuiltModule
    Import-Module $script:Module -Force

    # In JSON, escaped as a service must write them: title, clear screen, 8-bit CSI, right-to-left override, DEL, NUL, tab, CR LF.
    $hostile = 'Evil\u001b]0;pwned\u0007\u001b[2J \u009b31m\u202eCorp\u007f\u0000\t\r\n'
    # What the module reads: C0 controls and DEL as their control pictures, the C1 control and the override as U+FFFD.
    $script:Read = "Evil$([char]0x241b)]0;pwned$([char]0x2407)$([char]0x241b)[2J $([char]0xfffd)31m$([char]0xfffd)Corp$([char]0x2421)$([char]0x2400)$([char]0x2409)$([char]0x240d)$([char]0x240a)"
    $customer = '4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04'
    $answers = @{
        '/v1/customers' = '{"totalCount":1,"items":[{"id":"' + $customer + '","companyProfile":{"companyName":"' + $hostile + '","domain":"evil.onmicrosoft.com","tenantId":"' + $customer + '"},"relationshipToPartner":"reseller","attributes":{"objectType":"Customer"}}]}'
        "/v1/customers/$customer/subscribedskus" = '{"totalCount":1,"items":[{"availableUnits":5,"activeUnits":20,"consumedUnits":15,"suspendedUnits":0,"totalUnits":20,"warningUnits":0,"capabilityStatus":"Enabled","productSku":{"id":"sku-1","name":"' + $hostile + '","skuPartNumber":"' + $hostile + '","targetType":"User","licenseGroupId":"Group1"},"servicePlans":[{"displayName":"' + $hostile + '","serviceName":"EXCHANGE_S_STANDARD","id":"plan-1","capabilityStatus":"Success","targetType":"User"}],"attributes":{"objectType":"SubscribedSku"}}]}'
        '/v1/analytics/commercial/usage/license' = '{"Value":[{"CustomerTenantId":"' + $customer + '","CustomerName":"' + $hostile + '","ProductId":"prod-1","ProductName":"' + $hostile + '","WorkloadCode":"EXO","WorkloadName":"' + $hostile + '","LicensesActive":10,"LicensesQualified":20,"UsagePercent":50,"ProcessedDateTime":"2026-11-01T00:00:00Z"}],"TotalCount":1}'
    }

    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()
    $script:Listener = [System.Net.HttpListener]::new()
    $script:Listener.Prefixes.Add("http://127.0.0.1:$port/")
    $script:Listener.Start()
    $script:Endpoint = "http://127.0.0.1:$port"
    $script:Server = [powershell]::Create()
    $null = $script:Server.AddScript({
        param($listener, $answers)
        while ($listener.IsListening) {
            try { $context = $listener.GetContext() } catch { break }
            $body = $answers[$context.Request.Url.AbsolutePath]
            $context.Response.StatusCode = if ($body) { 200 } else { 404 }
            $bytes = [System.Text.Encoding]::UTF8.GetBytes($(if ($body) { $body } else { '' }))
            $context.Response.ContentType = 'application/json; charset=utf-8'
            $context.Response.ContentLength64 = $bytes.Length
            $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
            $context.Response.Close()
        }
    }).AddArgument($script:Listener).AddArgument($answers)
    $script:Serving = $script:Server.BeginInvoke()

    $script:Token = New-TestToken
    Connect-PCPartner -AccessToken $script:Token -Endpoint $script:Endpoint | Out-Null

    # Every control character in text, but the line ends the views write themselves.
    function Get-ControlCharacter {
        param([string] $Text)
        @($Text.Replace("`r`n", "`n").ToCharArray() | Where-Object {
                ([int]$_ -lt 0x20 -and $_ -ne "`n") -or ([int]$_ -ge 0x7f -and [int]$_ -le 0x9f) -or ([int]$_ -ge 0x202a -and [int]$_ -le 0x202e) -or ([int]$_ -ge 0x2066 -and [int]$_ -le 0x2069)
            } | ForEach-Object { '{0:X4}' -f [int]$_ })
    }
}

AfterAll {
    Disconnect-PCPartner -ErrorAction SilentlyContinue
    if ($script:Listener) { $script:Listener.Stop(); $script:Listener.Close() }
    if ($script:Server) {
        try { $null = $script:Server.EndInvoke($script:Serving) } catch { }
        $script:Server.Dispose()
    }
}

Describe 'Text a service sends, as a shell shows it' {
    It 'reads each control character as its picture' {
        (Get-PCCustomer).CompanyName | Should -BeExactly $script:Read
    }

    It 'writes no control character in <Name>' -ForEach @(
        @{ Name = "Get-PCCustomer's table"; Script = { Get-PCCustomer | Out-String -Width 200 } }
        @{ Name = "Get-PCCustomer's list"; Script = { Get-PCCustomer | Format-List | Out-String -Width 200 } }
        @{ Name = "Get-PCLicenseUsage's table"; Script = { Get-PCLicenseUsage | Out-String -Width 200 } }
        @{ Name = "Get-PCLicenseUsage's list"; Script = { Get-PCLicenseUsage | Format-List | Out-String -Width 200 } }
        @{ Name = "Get-PCCustomerSubscribedSku's table"; Script = { Get-PCCustomer | Get-PCCustomerSubscribedSku | Out-String -Width 200 } }
        @{ Name = "Get-PCCustomerSubscribedSku's list, service plans included"; Script = { Get-PCCustomer | Get-PCCustomerSubscribedSku | Format-List * | Out-String -Width 400 } }
    ) {
        $shown = & $Script
        Get-ControlCharacter $shown | Should -BeNullOrEmpty
        # The name is there, recognisable: as far as its column shows it.
        $shown | Should -Match ([regex]::Escape("Evil$([char]0x241b)]0;pwned$([char]0x2407)"))
    }

    It 'writes no control character of the service to a real terminal' -Skip:$script:NoPseudoTerminal {
        $script = @"
`$ProgressPreference = 'SilentlyContinue'
Import-Module '$script:Module'
Connect-PCPartner -AccessToken '$script:Token' -Endpoint '$script:Endpoint' | Out-Null
Get-PCCustomer
Get-PCLicenseUsage | Format-List
"@
        $result = Invoke-ChildShell -Script $script -Width 120
        $result.ExitCode | Should -Be 0 -Because $result.Text
        # Invoke-ChildShell leaves out pwsh's own colour sequences (ESC [ ... letter) and CRs; an ESC or BEL left is the service's.
        Get-ControlCharacter $result.Text | Should -BeNullOrEmpty
        $result.Text | Should -Match ([regex]::Escape("Evil$([char]0x241b)]0;pwned$([char]0x2407)"))
    }

    It 'writes an HTML report with no control character, the names shown as their pictures' {
        $path = Join-Path $TestDrive 'report.html'
        Get-PCLicenseUsage | Export-PCLicenseReport -Path $path -Title "Title`e]0;pwned`a"
        $page = Get-Content -Path $path -Raw -Encoding utf8
        Get-ControlCharacter $page | Should -BeNullOrEmpty
        $page | Should -Match ([regex]::Escape("Evil$([char]0x241b)]0;pwned$([char]0x2407)"))
        $page | Should -Match ([regex]::Escape("Title$([char]0x241b)]0;pwned$([char]0x2407)"))
    }
}
