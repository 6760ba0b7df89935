# Scores CVSS v2/v3.x vectors with the cvss-suite gem (Debian ruby-cvss-suite), one vector per
# input line; prints "vector<TAB>base<TAB>temporal<TAB>environmental" ("-" when the vector
# defines none of that group) or "vector<TAB>invalid". The reference for //image/vuln:cvss_test.
require "cvss_suite"

TEMPORAL_V2 = %w[E RL RC].freeze
ENVIRONMENTAL_V2 = %w[CDP TD CR IR AR].freeze
TEMPORAL_V3 = %w[E RL RC].freeze
ENVIRONMENTAL_V3 = %w[CR IR AR MAV MAC MPR MUI MS MC MI MA].freeze

def any_defined(vector, names)
  vector.split("/").any? do |part|
    name, value = part.split(":", 2)
    names.include?(name) && !%w[X ND].include?(value)
  end
end

STDIN.each_line do |line|
  vector = line.strip
  next if vector.empty?
  begin
    cvss = CvssSuite.new(vector)
    unless cvss.valid?
      puts "#{vector}\tinvalid"
      next
    end
    v2 = !vector.start_with?("CVSS:")
    temporal = any_defined(vector, v2 ? TEMPORAL_V2 : TEMPORAL_V3) ? cvss.temporal_score : "-"
    environmental =
      any_defined(vector, v2 ? ENVIRONMENTAL_V2 : ENVIRONMENTAL_V3) ? cvss.environmental_score : "-"
    puts "#{vector}\t#{cvss.base_score}\t#{temporal}\t#{environmental}"
  rescue StandardError => e
    puts "#{vector}\tinvalid #{e.class}"
  end
end
