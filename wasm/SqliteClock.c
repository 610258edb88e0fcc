/* gmtime, gmtime_r and strftime in C for SQLite's CURRENT_TIME/DATE/TIMESTAMP, so the wasm imports no JS date code. */
/*
 * With SQLITE_OMIT_DATETIME_FUNCS, SQLite formats CURRENT_* with libc's gmtime() and
 * strftime(), which Emscripten 3.1.6 implements in JS (with tzset and a full strftime):
 * ~2 KB gzip of glue for a value lead-outbox never reads (the VFS's clock is fixed at the
 * Unix epoch, src/vfs/PageGroupVfs.cpp). These C definitions take their place at link
 * time. strftime() handles the conversions SQLite uses (%Y %m %d %H %M %S %%) and returns 0,
 * as for a result that does not fit, for any other.
 */
#include <stddef.h>
#include <time.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static long long daysFromCivil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long long)doe - 719468;
}

struct tm* gmtime_r(const time_t* t, struct tm* out) {
  long long days = (long long)*t / 86400;
  long long secs = (long long)*t % 86400;
  if (secs < 0) {
    secs += 86400;
    days -= 1;
  }
  /* civil_from_days */
  const long long z = days + 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const long long y = (long long)yoe + era * 400 + (m <= 2);
  out->tm_sec = (int)(secs % 60);
  out->tm_min = (int)(secs / 60 % 60);
  out->tm_hour = (int)(secs / 3600);
  out->tm_mday = (int)d;
  out->tm_mon = (int)m - 1;
  out->tm_year = (int)(y - 1900);
  out->tm_wday = (int)(((days + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
  out->tm_yday = (int)(days - daysFromCivil(y, 1, 1));
  out->tm_isdst = 0;
  return out;
}

/* SQLite calls gmtime() (it is built without HAVE_GMTIME_R); single-threaded, so one buffer. */
struct tm* gmtime(const time_t* t) {
  static struct tm buffer;
  return gmtime_r(t, &buffer);
}

/* Writes `value` as at least `width` decimal digits; returns the new end, or NULL when full. */
static char* digits(char* at, const char* end, long long value, int width) {
  char buf[24];
  int n = 0;
  const int negative = value < 0;
  unsigned long long v = negative ? 0ull - (unsigned long long)value : (unsigned long long)value;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n < width) buf[n++] = '0';
  if (negative) buf[n++] = '-';
  if (end - at < n) return NULL;
  while (n) *at++ = buf[--n];
  return at;
}

size_t strftime(char* restrict s, size_t max, const char* restrict format, const struct tm* restrict tm) {
  char* at = s;
  const char* end = s + max;
  for (const char* f = format; *f; f++) {
    if (*f != '%') {
      if (end - at < 1) return 0;
      *at++ = *f;
      continue;
    }
    switch (*++f) {
      case 'Y': at = digits(at, end, 1900LL + tm->tm_year, 4); break;
      case 'm': at = digits(at, end, tm->tm_mon + 1, 2); break;
      case 'd': at = digits(at, end, tm->tm_mday, 2); break;
      case 'H': at = digits(at, end, tm->tm_hour, 2); break;
      case 'M': at = digits(at, end, tm->tm_min, 2); break;
      case 'S': at = digits(at, end, tm->tm_sec, 2); break;
      case '%': at = end - at < 1 ? NULL : (*at = '%', at + 1); break;
      default: return 0; /* not needed by SQLite; also a lone '%' at the end */
    }
    if (!at) return 0;
  }
  if (end - at < 1) return 0; /* room for the terminating NUL */
  *at = '\0';
  return (size_t)(at - s);
}
