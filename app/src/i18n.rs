//! The interface speaks zh-CN first and English second. Every string is written as a pair at
//! the place it is used (`lang.t("中文", "English")`), so neither language can be forgotten.

use linli_shared::domain::InputError;
use linli_shared::domain::requests::deadline::{Assessment, Countdown};
use linli_shared::domain::requests::{Colour, Status};
use linli_shared::time::{LocalDateTime, Millis};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn t(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_code(s: &str) -> Lang {
        if s.starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    pub fn colour(self, c: Colour) -> &'static str {
        match c {
            Colour::Red => self.t("紧急", "Urgent"),
            Colour::Yellow => self.t("一般", "Normal"),
            Colour::Blue => self.t("建议", "Suggestion"),
        }
    }

    /// The answer window in words: "48小时内答复".
    pub fn colour_window(self, c: Colour) -> &'static str {
        match c {
            Colour::Red => self.t("48小时内答复", "answer within 48 hours"),
            Colour::Yellow => self.t("5天内答复", "answer within 5 days"),
            Colour::Blue => self.t("15天内答复", "answer within 15 days"),
        }
    }

    pub fn status(self, s: Status) -> &'static str {
        match s {
            Status::Filed => self.t("已提交", "Filed"),
            Status::Accepted => self.t("已受理", "Accepted"),
            Status::InProgress => self.t("处理中", "In progress"),
            Status::Answered => self.t("已答复", "Answered"),
            Status::Resolved => self.t("已办结", "Resolved"),
        }
    }

    /// What kind of personal data was found, in words.
    pub fn pii(self, k: linli_shared::pii::PiiKind) -> &'static str {
        use linli_shared::pii::PiiKind as K;
        match k {
            K::Mobile => self.t("手机号码", "a mobile number"),
            K::IdCard => self.t("身份证号码", "an ID card number"),
            K::BankCard => self.t("银行卡号", "a bank card number"),
            K::Plate => self.t("车牌号", "a licence plate"),
        }
    }

    /// Every problem of a form, in one line (what its `role="alert"` paragraph says).
    pub fn input_errors(self, errors: &[InputError]) -> String {
        errors
            .iter()
            .map(|e| self.input_error(e))
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn input_error(self, e: &InputError) -> String {
        match (self, e) {
            (Lang::Zh, InputError::TitleEmpty) => "请填写标题".into(),
            (Lang::En, InputError::TitleEmpty) => "Please give a title".into(),
            (Lang::Zh, InputError::TitleTooLong { len, max }) => {
                format!("标题太长：{len} 字，最多 {max} 字")
            }
            (Lang::En, InputError::TitleTooLong { len, max }) => {
                format!("The title is too long: {len} characters, at most {max}")
            }
            (Lang::Zh, InputError::DescriptionTooLong { len, max }) => {
                format!("描述太长：{len} 字，最多 {max} 字")
            }
            (Lang::En, InputError::DescriptionTooLong { len, max }) => {
                format!("The description is too long: {len} characters, at most {max}")
            }
            (Lang::Zh, InputError::TextEmpty) => "请先写点内容".into(),
            (Lang::En, InputError::TextEmpty) => "Please write something first".into(),
            (Lang::Zh, InputError::TextTooLong { len, max }) => {
                format!("内容太长：{len} 字，最多 {max} 字")
            }
            (Lang::En, InputError::TextTooLong { len, max }) => {
                format!("Too long: {len} characters, at most {max}")
            }
            (Lang::Zh, InputError::CategoryMissing) => "请选择类别".into(),
            (Lang::En, InputError::CategoryMissing) => "Please choose a category".into(),
            (Lang::Zh, InputError::GridMissing) => "请选择网格".into(),
            (Lang::En, InputError::GridMissing) => "Please choose a grid".into(),
            (Lang::Zh, InputError::BuildingMissing) => "请选择楼栋".into(),
            (Lang::En, InputError::BuildingMissing) => "Please choose a building".into(),
            (Lang::Zh, InputError::PointMissing) => "请写上是哪个投放点".into(),
            (Lang::En, InputError::PointMissing) => "Please say which bin point".into(),
            (Lang::Zh, InputError::ResultMissing) => "请选择检查结果".into(),
            (Lang::En, InputError::ResultMissing) => "Please choose what you found".into(),
            (Lang::Zh, InputError::BadAmount) => {
                "金额请写成元，如 3200 或 3200.50（不超过一百万元）".into()
            }
            (Lang::En, InputError::BadAmount) => {
                "Write the amount in yuan, e.g. 3200 or 3200.50 (at most one million)".into()
            }
            (Lang::Zh, InputError::RatingOutOfRange { .. }) => "请选择 1 到 5 颗星".into(),
            (Lang::En, InputError::RatingOutOfRange { .. }) => "Please choose 1 to 5 stars".into(),
            (Lang::Zh, InputError::PersonalData { what }) => format!(
                "标题会公开给邻居看，里面好像有{}。请删掉，或者移到只有办理人员能看到的详细描述里。",
                self.pii(*what)
            ),
            (Lang::En, InputError::PersonalData { what }) => format!(
                "Neighbours see the title, and it seems to hold {}. Please remove it, or move it to the details, which only those handling it see.",
                self.pii(*what)
            ),
            (Lang::Zh, InputError::TooManyPhotos { max }) => format!("最多 {max} 张照片"),
            (Lang::En, InputError::TooManyPhotos { max }) => format!("At most {max} photos"),
            (Lang::Zh, InputError::TooManyTags { max }) => format!("最多 {max} 个标签"),
            (Lang::En, InputError::TooManyTags { max }) => format!("At most {max} tags"),
            (Lang::Zh, InputError::PointsOutOfRange { max }) => {
                format!("请选择加分或扣分：不能为 0，最多 ±{max} 分")
            }
            (Lang::En, InputError::PointsOutOfRange { max }) => {
                format!("Choose points to add or remove: not 0, at most ±{max}")
            }
            (Lang::Zh, InputError::MinutesOutOfRange { max }) => {
                format!("时长为 1 到 {max} 分钟")
            }
            (Lang::En, InputError::MinutesOutOfRange { max }) => {
                format!("Minutes are 1 to {max}")
            }
            (Lang::Zh, InputError::BadDate) => "日期格式应为 年-月-日，如 2026-12-02".into(),
            (Lang::En, InputError::BadDate) => "A date is year-month-day, e.g. 2026-12-02".into(),
            (Lang::Zh, InputError::BadClock) => "时间格式应为 时:分，如 14:30".into(),
            (Lang::En, InputError::BadClock) => "A time is hours:minutes, e.g. 14:30".into(),
            (l, InputError::Split(e)) => crate::pages::talks::split_error(l, e),
            (l, InputError::Vote(e)) => crate::pages::talks::vote::vote_error(l, e),
            (l, InputError::Event(e)) => l.event_error(e),
            (l, InputError::Roadmap(e)) => e.text(l == Lang::Zh),
            (l, InputError::Case(e)) => e.text(l == Lang::Zh).into(),
            (l, InputError::SitePlan(e)) => e.text(l == Lang::Zh),
            (l, InputError::Resource(e)) => e.text(l == Lang::Zh),
            (l, InputError::Drawing(e)) => e.text(l == Lang::Zh),
            (Lang::Zh, InputError::NotHeldYet) => {
                "这份记录还没同步到本机，请稍候再试（填写的内容都还在）。".into()
            }
            (Lang::En, InputError::NotHeldYet) => {
                "This record has not reached this phone yet: try again in a moment (what you entered is kept).".into()
            }
        }
    }

    /// "还剩 1天3小时" / "超期 5小时" / "1 d 3 h left" / "5 h overdue".
    pub fn countdown(self, remaining: Millis) -> String {
        let c = Countdown::of(remaining);
        let span = match self {
            Lang::Zh if c.days > 0 => format!("{}天{}小时", c.days, c.hours),
            Lang::Zh if c.hours > 0 => format!("{}小时{}分", c.hours, c.minutes),
            Lang::Zh => format!("{}分钟", c.minutes),
            Lang::En if c.days > 0 => format!("{} d {} h", c.days, c.hours),
            Lang::En if c.hours > 0 => format!("{} h {} min", c.hours, c.minutes),
            Lang::En => format!("{} min", c.minutes),
        };
        match (self, c.overdue) {
            (Lang::Zh, false) => format!("还剩 {span}"),
            (Lang::Zh, true) => format!("已超期 {span}"),
            (Lang::En, false) => format!("{span} left"),
            (Lang::En, true) => format!("{span} overdue"),
        }
    }

    /// The countdown of an assessment: in a community that counts working days, the working
    /// days left after today ("还剩 3 个工作日" / "3 working days left"); on the due day, and
    /// once overdue, hours as [`Lang::countdown`].
    pub fn due_countdown(self, a: &Assessment) -> String {
        match (self, a.working_days_left) {
            (Lang::Zh, Some(n)) if n > 0 => format!("还剩 {n} 个工作日"),
            (Lang::En, Some(1)) => "1 working day left".into(),
            (Lang::En, Some(n)) if n > 1 => format!("{n} working days left"),
            _ => self.countdown(a.remaining),
        }
    }

    /// A deadline's time: in working-day mode deadlines fall at the end of a day, shown as
    /// that day's 24:00 ("12-03 24:00") rather than the next day's 00:00.
    pub fn due_time(self, due_at: Millis, working_days: bool) -> String {
        if !working_days {
            return self.time(due_at);
        }
        let day = LocalDateTime::shanghai(due_at - 1);
        format!("{:02}-{:02} 24:00", day.month, day.day)
    }

    pub fn time(self, at: Millis) -> String {
        LocalDateTime::shanghai(at).format_short()
    }

    /// "刚刚" / "3分钟前" / "just now" / "3 min ago".
    pub fn ago(self, at: Millis, now: Millis) -> String {
        let s = (now - at).max(0) / 1000;
        match self {
            Lang::Zh if s < 60 => "刚刚".into(),
            Lang::Zh if s < 3600 => format!("{}分钟前", s / 60),
            Lang::Zh if s < 86_400 => format!("{}小时前", s / 3600),
            Lang::Zh => self.time(at),
            Lang::En if s < 60 => "just now".into(),
            Lang::En if s < 3600 => format!("{} min ago", s / 60),
            Lang::En if s < 86_400 => format!("{} h ago", s / 3600),
            Lang::En => self.time(at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_shared::time::{DAY, HOUR, MINUTE};

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn countdowns_read_naturally_in_both_languages() {
        assert_eq!(Lang::Zh.countdown(DAY + 3 * HOUR), "还剩 1天3小时");
        assert_eq!(Lang::En.countdown(-(5 * HOUR)), "5 h 0 min overdue");
        assert_eq!(Lang::Zh.countdown(20 * MINUTE), "还剩 20分钟");
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn working_day_countdowns_count_days_then_hours_on_the_due_day() {
        use linli_shared::domain::requests::deadline::Due;
        let a = |left, remaining| Assessment {
            due_at: 0,
            remaining,
            due: Due::OnTrack,
            working_days_left: left,
        };
        assert_eq!(
            Lang::Zh.due_countdown(&a(Some(3), 5 * DAY)),
            "还剩 3 个工作日"
        );
        assert_eq!(
            Lang::En.due_countdown(&a(Some(3), 5 * DAY)),
            "3 working days left"
        );
        assert_eq!(
            Lang::En.due_countdown(&a(Some(1), DAY)),
            "1 working day left"
        );
        assert_eq!(
            Lang::Zh.due_countdown(&a(Some(0), 5 * HOUR)),
            "还剩 5小时0分"
        );
        assert_eq!(
            Lang::Zh.due_countdown(&a(None, DAY + 3 * HOUR)),
            "还剩 1天3小时"
        );
    }
}
