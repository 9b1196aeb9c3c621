// Native body of package log: the wall clock's date and time, in the local time zone
// (TZ, else /etc/localtime, as Go's time.Local) or in UTC.
#include "stdlib/natives.hpp"

#include <ctime>

namespace csp::stdlib {

namespace {

// wallClock(utc) (year, month, day, hour, min, sec, nsec int)
void wall_clock(VM&, Slot* frame) {
    bool utc = frame[0].u != 0;
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    std::tm parts{};
    if (utc) gmtime_r(&now.tv_sec, &parts);
    else localtime_r(&now.tv_sec, &parts);
    frame[0].i = parts.tm_year + 1900;
    frame[1].i = parts.tm_mon + 1;
    frame[2].i = parts.tm_mday;
    frame[3].i = parts.tm_hour;
    frame[4].i = parts.tm_min;
    frame[5].i = parts.tm_sec;
    frame[6].i = now.tv_nsec;
}

} // namespace

const NativeEntry log_natives[] = {
    {"log.wallClock", wall_clock},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
