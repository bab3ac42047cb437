//! Unix seconds as calendar text (UTC), for log lines and content versions. The only civil-date
//! conversion in the workspace: the simulator's log lines use it too.

/// Unix seconds as `YYYY-MM-DD hh:mm:ss` (UTC).
pub fn timestamp(unix: u64) -> String {
    let (year, month, day) = civil_date(unix);
    let secs = unix % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The UTC calendar date of unix seconds: year, month (1-12), day (1-31).
pub fn civil_date(unix: u64) -> (i64, i64, i64) {
    let days = (unix / 86_400) as i64;
    // Howard Hinnant's civil_from_days: exact for the proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(timestamp(0), "1970-01-01 00:00:00");
        assert_eq!(timestamp(1_263_495_101), "2010-01-14 18:51:41");
        assert_eq!(civil_date(1_269_043_200), (2010, 3, 20));
        assert_eq!(civil_date(951_782_400), (2000, 2, 29));
    }
}
