#pragma once

#include <QtGlobal>

namespace lifeline::bench {

// What the machine's CPUs did, in seconds summed over the CPUs (/proc/stat): idle (with
// iowait) is what was left over for anyone; softirq is mostly the loopback TCP between the
// servers and the generator, and is also in the system time of whichever process it ran in.
struct FanoutMachineCpu
{
    double idle = 0;
    double softirq = 0;
};
FanoutMachineCpu fanoutMachineCpu();

} // namespace lifeline::bench
