/*
 * Bulwark's built-in malware rules (written for Bulwark). Each rule has meta `id` (the finding's
 * rule id), `description` and `severity`. They aim at indicators that have no business in a
 * container image and are cheap to match: the EICAR test file, crypto-miner pools, configs and
 * binaries, webshells, and reverse-shell one-liners. They are not a replacement for a curated
 * rule feed: pass such rules with --malware-rules.
 */

rule eicar_test_file : test
{
    meta:
        id = "BWK-MAL-001"
        description = "EICAR anti-virus test file"
        severity = "high"
    strings:
        // The 68-byte EICAR string; the file may only add trailing whitespace (128 bytes max).
        $eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    condition:
        $eicar at 0 and filesize <= 128
}

rule miner_pool_url : miner
{
    meta:
        id = "BWK-MAL-002"
        description = "Crypto-miner pool URL (stratum protocol)"
        severity = "high"
    strings:
        $stratum = /stratum2?\+(tcp|ssl|tls):\/\/[A-Za-z0-9._-]+(:[0-9]{2,5})?/ nocase
    condition:
        $stratum
}

rule miner_config : miner
{
    meta:
        id = "BWK-MAL-003"
        description = "Crypto-miner configuration (XMRig-style pools, wallet, donate level)"
        severity = "critical"
    strings:
        $pools = "\"pools\"" nocase
        $donate = /"donate-level"\s*:/ nocase
        $algo = /"algo"\s*:\s*"(rx\/0|cn\/|cryptonight|randomx|argon2|ghostrider|kawpow)/ nocase
        $user = /"user"\s*:\s*"[0-9A-Za-z]{90,110}"/
        $coin = /"coin"\s*:\s*"(monero|xmr)"/ nocase
    condition:
        filesize < 1MB and $pools and 2 of ($donate, $algo, $user, $coin)
}

rule miner_binary : miner
{
    meta:
        id = "BWK-MAL-004"
        description = "Crypto-miner executable (XMRig and forks)"
        severity = "critical"
    strings:
        $xmrig = "xmrig" nocase
        $donate_host = "donate.v2.xmrig.com"
        $donate_flag = "--donate-level"
        $randomx = "RandomX" fullword
        $cryptonight = "cryptonight" nocase
        $stratum = "stratum+tcp://"
    condition:
        uint32(0) == 0x464c457f and $xmrig and 2 of ($donate_host, $donate_flag, $randomx,
        $cryptonight, $stratum)
}

rule php_webshell : webshell
{
    meta:
        id = "BWK-MAL-005"
        description = "PHP webshell: request input passed to code or command execution"
        severity = "critical"
    strings:
        $php = "<?" ascii
        $exec_request = /(eval|assert|system|passthru|shell_exec|exec|popen|proc_open|pcntl_exec)\s*\(\s*(base64_decode\s*\(\s*|stripslashes\s*\(\s*|urldecode\s*\(\s*)?\$_(GET|POST|REQUEST|COOKIE|SERVER)\s*\[/ nocase
        $eval_obfuscated = /eval\s*\(\s*(gzinflate|gzuncompress|str_rot13|base64_decode)\s*\(\s*(gzinflate|gzuncompress|str_rot13|base64_decode|['"])/ nocase
        $backtick = /`\s*\$_(GET|POST|REQUEST)\s*\[/
        $preg_e = /preg_replace\s*\(\s*['"]\/.{1,200}\/e['"]\s*,\s*\$_(GET|POST|REQUEST)/ nocase
    condition:
        filesize < 2MB and $php and any of ($exec_request, $eval_obfuscated, $backtick, $preg_e)
}

rule jsp_webshell : webshell
{
    meta:
        id = "BWK-MAL-006"
        description = "JSP webshell: request parameter passed to a process"
        severity = "critical"
    strings:
        $runtime = /Runtime\.getRuntime\(\)\.exec\(\s*request\.getParameter\s*\(/
        $builder = /new\s+ProcessBuilder\s*\([^;]{0,80}request\.getParameter\s*\(/
        $jsp = "<%" ascii
    condition:
        filesize < 2MB and $jsp and ($runtime or $builder)
}

rule reverse_shell : shell
{
    meta:
        id = "BWK-MAL-007"
        description = "Reverse-shell one-liner"
        severity = "high"
    strings:
        $dev_tcp = /(sh|bash)\s+-i\s*(>&|&>)\s*\/dev\/(tcp|udp)\/[0-9A-Za-z.-]+\/[0-9]{1,5}/
        $exec_dev_tcp = /exec\s+[0-9]+<>\s*\/dev\/tcp\/[0-9A-Za-z.-]+\/[0-9]{1,5}/
        $nc_exec = /\b(nc|ncat|netcat)(\.traditional|\.openbsd)?\s+(-[a-z]+\s+)*-e\s+\/bin\/(ba)?sh\b/
        $fifo = /mkfifo\s+\/tmp\/[^;]{1,40};\s*(cat|tail -f)\s+\/tmp\/[^|]{1,40}\|\s*\/bin\/(ba)?sh\s+-i\s*2>&1\s*\|\s*(nc|ncat)\s/
        $python = /socket\.socket\([^)]*\)[^\n]{0,200}\.connect\(\([^\n]{0,200}os\.dup2\([^\n]{0,200}(subprocess\.call|pty\.spawn|os\.system)\(\s*\[?\s*["']\/bin\/(ba)?sh/
        $perl = /use\s+Socket;[^\n]{0,300}connect\(S,[^\n]{0,200}exec\(["']\/bin\/(ba)?sh/
        $socat = /socat\s+(tcp|tcp4|openssl):[0-9A-Za-z.-]+:[0-9]{1,5}\s+exec:['"]?\/?(bin\/)?(ba)?sh/ nocase
    condition:
        filesize < 4MB and any of them
}
