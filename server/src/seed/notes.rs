//! Field notes 田野笔记 for the demo and the scale seeding: the article's 38 notes of 水榭花都's
//! practice year, written by the demo's staff member (张建国), grid worker (李红梅) and youth
//! volunteer (陈小雨), dated through the year's three phases (infrastructure, rules,
//! culture): how the talks went, the elders' visits, the stairwell clutter, the festival, the
//! micro-grant projects, the patrols. Several link the talk, the request or the case they
//! are about (talks and requests found by a word of their title; cases by the library's id).

use linli_shared::domain::DocKind;
use linli_shared::domain::community::calendar::format_day;
use linli_shared::domain::field_note::{NoteCommand, NoteDraft};
use linli_shared::domain::requests::Request;
use linli_shared::domain::talks::Talk;
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, HOUR, Millis, shanghai_day};

use super::{Rng, SeedError};
use crate::hub::HubCtx;

/// What a note is about: a talk or a request whose title holds the word, or a case.
#[derive(Clone, Copy)]
enum Link {
    None,
    Talk(&'static str),
    Request(&'static str),
    Case(&'static str),
}

/// Who wrote it: the demo's staff member, grid worker, or volunteer.
#[derive(Clone, Copy, PartialEq)]
enum By {
    Staff,
    Grid,
    Volunteer,
}

/// (day of the practice year, author, title, text, place, tags, link).
type Note = (
    i64,
    By,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    Link,
);

/// The 38 notes, oldest first.
const NOTES: [Note; 38] = [
    (
        3,
        By::Staff,
        "初访水榭花都：建筑垃圾与坏掉的健身器材",
        "入夏第一次走访。中心花园旁堆着装修剩下的建筑垃圾，太空漫步机底座松动。几位在树荫下乘凉的老人说\"反映过，没人管\"，语气里更多是习惯而不是生气。居民对公共事务的冷淡，是这次实践要面对的第一个问题。",
        "中心花园",
        &["设施改造", "议事协商"],
        Link::Request("健身器材"),
    ),
    (
        9,
        By::Staff,
        "\"1+3+N\"平台第一次碰头",
        "党总支、居委会、物业、业委会四方第一次坐到一张桌上。物业经理一开始只谈成本，业委会主任只谈责任。我们先不谈钱，请各方各列三件最想解决的事，结果健身器材、楼道灯、7号楼漏水三件重合，议程就这样定下来。",
        "社区党群服务中心二楼议事厅",
        &["议事协商"],
        Link::Talk("健身器材"),
    ),
    (
        14,
        By::Grid,
        "第7网格早巡：楼道堆物摸底",
        "7号楼、8号楼共12个单元，早巡一圈，有9个单元的楼梯口堆着纸箱、旧家具或电动车。多数住户说\"放几天就搬\"，其实不少已放了半年。先拍照登记，不急着清，下周请楼组长一起上门。",
        "7号楼、8号楼",
        &["网格巡查", "楼道堆物"],
        Link::Request("楼道堆放"),
    ),
    (
        18,
        By::Volunteer,
        "第一次陪王奶奶用手机报诉求",
        "王奶奶说小程序字太小，验证码收到了也找不到在哪里填。我们一起把楼道灯坏了的事报上去，她让我把\"提交\"按钮指给她看了三遍。她说：\"要是每次你都在就好了。\"",
        "7号楼",
        &["独居老人", "代际互助"],
        Link::Request("楼道灯"),
    ),
    (
        22,
        By::Staff,
        "健身器材第一轮协商：谁出钱",
        "物业认为器材超过使用年限，可以承担大部分；业委会坚持维修资金不宜动用。第一轮没有结果，但双方都同意先把旧器材围起来，防止孩子受伤。会后请顾问郑工出一份器材安全评估。",
        "社区党群服务中心二楼议事厅",
        &["议事协商", "设施改造"],
        Link::Talk("健身器材"),
    ),
    (
        27,
        By::Grid,
        "午访独居老人：8号楼的三户",
        "午访8号楼三户独居老人。一位老人家里灶台旁堆满报纸，已提醒并请子女周末来整理；一位老人血压偏高，记下社区医生电话帮她贴在冰箱上；还有一位不太愿意开门，隔着门聊了十分钟，约好下周再来。",
        "8号楼",
        &["独居老人", "网格巡查"],
        Link::None,
    ),
    (
        33,
        By::Staff,
        "健身器材第二轮：社区基金能出多少",
        "这次带去了社区基金的余额和使用规则。物业松口愿出六成，但要求居民也要有表示，\"不然以后什么都找物业\"。业委会提出居民众筹的想法，大家第一次笑了。",
        "社区党群服务中心二楼议事厅",
        &["议事协商", "微创投"],
        Link::Talk("健身器材"),
    ),
    (
        41,
        By::Grid,
        "楼道堆物清理：和楼组长一起上门",
        "赵师傅（楼组长）陪着敲门，效果完全不同。住户对网格员有戒心，对老邻居不好意思推脱。一个下午清出纸箱二十多个、旧沙发一张。有一户坚持电动车要放楼道充电，约定等充电棚建好再搬。",
        "3号楼",
        &["楼道堆物", "网格巡查"],
        Link::Case("C15"),
    ),
    (
        48,
        By::Staff,
        "健身器材第四轮：60-30-10方案通过",
        "四轮协商后定下：物业出资60%，社区基金补贴30%，居民众筹10%。众筹两天就满了，有一位老人拿着现金来交，说\"这是给孙子玩的\"。这份分摊方案是四方第一次真正意义上的共同决定。",
        "社区党群服务中心二楼议事厅",
        &["议事协商", "设施改造"],
        Link::Talk("健身器材"),
    ),
    (
        55,
        By::Grid,
        "夜谈：宠物扰民的两家人",
        "晚上八点去6楼和5楼两家。楼下说狗每晚叫到十一点，楼上说狗白天没人陪。一开始双方都不肯先开口，我请他们各说一件对方做得好的事，气氛才缓下来。约定狗晚上关阳台门、楼下有事先发微信，不直接打12345。",
        "8号楼2单元",
        &["宠物扰民", "议事协商"],
        Link::Request("狗叫"),
    ),
    (
        62,
        By::Staff,
        "7号楼顶层漏水：维修资金要业主表决",
        "屋面防水属于共有部分，物业不能自己拿维修资金。业委会主任提出由7号楼业主表决。顶楼住户很急，底楼住户觉得\"与我无关\"。会上决定先临时封堵，同时准备表决材料，讲清楚漏水会影响整栋楼的外墙。",
        "社区党群服务中心二楼议事厅",
        &["议事协商", "设施改造"],
        Link::Talk("漏水"),
    ),
    (
        70,
        By::Volunteer,
        "帮李奶奶学用智能门锁",
        "李奶奶一开始坚决不装智能门锁，说\"钥匙用了几十年\"。我把开锁步骤画在卡片上，每周六去陪她练一次。第三次她自己开了门，还问我能不能教楼里其他老人。",
        "5号楼",
        &["独居老人", "代际互助"],
        Link::Case("C03"),
    ),
    (
        78,
        By::Grid,
        "外墙渗水到卧室：回访",
        "上周报的外墙渗水，物业已做临时处理。回访时雨又下了一夜，墙角仍有水印。住户不满但没有发火，她说\"至少这次有人来看了\"。已把照片补进诉求，请物业下周安排专业检测。",
        "7号楼",
        &["设施改造"],
        Link::Request("外墙渗水"),
    ),
    (
        86,
        By::Staff,
        "第一阶段小结：看得见的改造带来信任",
        "三个月完成了12栋楼的渗漏维修和7处适老化改造。居民开始主动在群里报问题，也开始有人问\"下次开会我能不能去听\"。可见的改造成果是信任的起点。",
        "居委会办公室",
        &["设施改造"],
        Link::None,
    ),
    (
        94,
        By::Staff,
        "《社区公约》起草会：从\"不许\"到\"我们约定\"",
        "第二阶段第一件事是公约。初稿里全是\"严禁\"\"不得\"，居民代表读完说像告示。改成\"我们约定\"的口吻后，楼组长们愿意拿回楼里念给大家听。",
        "社区党群服务中心",
        &["议事协商"],
        Link::None,
    ),
    (
        101,
        By::Grid,
        "早巡：电动车楼道充电又回潮",
        "前两个月清理过的3号楼，又有两辆电动车拉线充电。住户说充电棚还没建好，没地方充。靠劝说只能管一阵，要从设施上解决。",
        "3号楼",
        &["网格巡查", "楼道堆物"],
        Link::Talk("充电棚"),
    ),
    (
        108,
        By::Staff,
        "充电棚选址：不占绿地",
        "物业提出在3号楼北侧空地建充电棚，顾问提醒占用绿地要先征求业主意见。第三轮讨论时有居民提出改造原来的自行车棚，既不占绿地也离楼近，大家一致同意。好的方案常常来自居民自己。",
        "社区党群服务中心二楼议事厅",
        &["议事协商", "设施改造"],
        Link::Talk("充电棚"),
    ),
    (
        115,
        By::Grid,
        "商户占道：早市货架的七点到九点",
        "沿街商户早市要摆货架，居民抱怨人行道走不过去。商户代表吴老板说，早上两个小时是一天里生意最好的时候。最后划了早七点到九点的临时摆放区，我每周二、五早上去看一次。",
        "沿街商铺",
        &["网格巡查", "议事协商"],
        Link::Case("C01"),
    ),
    (
        123,
        By::Volunteer,
        "代际数字桥梁：周六课堂第一课",
        "六位老人来上课，我们四个中学生一人带一两位。最难的是验证码和返回键。张爷爷学会了自己报诉求，当场报了小区门口的路灯。下次准备做一张大字版的步骤图。",
        "社区党群服务中心活动室",
        &["代际互助", "独居老人"],
        Link::None,
    ),
    (
        130,
        By::Staff,
        "广场舞音量：测出来的55分贝",
        "投诉和反投诉持续了一个月。这次请顾问带分贝仪到现场，舞蹈队自己看着读数调音量。数字让争论变成了商量：晚八点半结束，音量控制在55分贝以下。",
        "中心广场",
        &["议事协商"],
        Link::Talk("广场舞"),
    ),
    (
        137,
        By::Grid,
        "垃圾分类督导：桶边第一周",
        "早上七点到九点在投放点值守。混投最多的是外卖盒没倒干净。有位阿姨说\"我分了，别人不分有什么用\"，我没有争，只是每天在她来的时候说一声谢谢。到周五她开始提醒别人了。",
        "2号投放点",
        &["垃圾分类", "网格巡查"],
        Link::Case("C05"),
    ),
    (
        145,
        By::Staff,
        "微创投提案会：王阿姨的楼道美术馆",
        "退休教师王阿姨带着几幅居民的书画来讲她的提案，想把楼道变成展示空间。评审问经费怎么花，她答得很细：画框、挂钩、防潮。也有评审担心没人维护，她说每个楼道找一位\"馆长\"。",
        "社区党群服务中心二楼议事厅",
        &["微创投"],
        Link::Case("C09"),
    ),
    (
        152,
        By::Grid,
        "地下车库渗水：排水泵之后",
        "排水泵装好后积水退了，但墙根还在渗。车主担心车被泡，物业说要查渗水点。我把每天的水位拍照记在诉求里，下次会谈时可以拿出来讲。",
        "地下车库",
        &["设施改造"],
        Link::Talk("渗水"),
    ),
    (
        160,
        By::Staff,
        "商户代表缺席第三次",
        "吴老板已连续三次没来四方会谈，电话里说\"跟我们没关系的事就不去了\"。商户的参与靠的是利益联结，议程里和商户有关的事太少。下个月准备把门前三包和信用积分放到议程上。",
        "居委会办公室",
        &["议事协商"],
        Link::None,
    ),
    (
        168,
        By::Volunteer,
        "粽香传情前的准备：名单和口味",
        "和网格员一起核对了独居老人名单，一共23位。有的老人不能吃糯米，有的只吃咸粽。我们给每户写了一张小卡片，准备让年轻家庭送粽子时带上。",
        "社区党群服务中心",
        &["独居老人", "睦邻活动"],
        Link::None,
    ),
    (
        172,
        By::Staff,
        "粽香传情：年轻家庭给独居老人包粽子",
        "端午前一天，十八个年轻家庭来包粽子，孩子们负责系绳。送到老人家里时，有位老人拉着孩子讲了半个小时以前端午的事。活动本来是送粽子，结果是两代人坐下来聊天。",
        "社区党群服务中心活动室",
        &["睦邻活动", "代际互助", "独居老人"],
        Link::None,
    ),
    (
        180,
        By::Grid,
        "楼道美术馆开馆：第一个单元",
        "3号楼1单元的楼道挂上了十二幅画，有老人的书法，也有孩子的水彩。原来堆纸箱的转角现在放了一张小凳，有人坐着看画。楼道堆物的问题，换一个办法就解决了。",
        "3号楼1单元",
        &["微创投", "楼道堆物"],
        Link::Case("C09"),
    ),
    (
        188,
        By::Staff,
        "业委会培训：维修资金怎么用",
        "请嘉兴市业委会专家张老师讲维修资金的使用程序。业委会成员问得最多的是\"表决票怎么收才有效\"。能看出业委会在复杂事务上仍很依赖社区工作者，专业能力需要时间培养。",
        "社区治理学院教室",
        &["议事协商"],
        Link::None,
    ),
    (
        196,
        By::Grid,
        "夜谈：新搬来的年轻租户",
        "8号楼新搬来几户年轻租户，白天上班，晚上才在家。夜谈时他们说不知道小区有什么活动，也不知道有事找谁。留下了网格群二维码，邀请他们来参加下个月的百家宴。",
        "8号楼",
        &["网格巡查", "睦邻活动"],
        Link::None,
    ),
    (
        205,
        By::Staff,
        "第二阶段小结：9项公约和规范",
        "四个月里制定了《社区公约》等9项规范性文件。公约贴出去后，楼组长说最有用的是\"遇到问题先找楼组长\"这一条，很多小矛盾在楼里就化解了。",
        "居委会办公室",
        &["议事协商"],
        Link::None,
    ),
    (
        214,
        By::Staff,
        "睦邻文化节第一场：人比预想的多",
        "原计划一百人，来了将近两百人。舞蹈队、书画社、儿童合唱轮流上台。最热闹的是旧物交换摊，很多人第一次和同楼的邻居说上话。",
        "中心广场",
        &["睦邻活动"],
        Link::None,
    ),
    (
        226,
        By::Volunteer,
        "陪王奶奶参加百家宴",
        "王奶奶带了一盘自己做的酱鸭，坐在一群年轻人中间。她说好多年没在这么多人面前吃饭了。回去的路上她问我下次活动什么时候，还说要教大家做。",
        "中心花园",
        &["睦邻活动", "独居老人", "代际互助"],
        Link::None,
    ),
    (
        238,
        By::Grid,
        "阳台花园竞赛：评比那天",
        "二十六户报名，评委是居民投票。有位独居老人的阳台种满了辣椒和葱，得了\"最实用奖\"，他笑得合不拢嘴。比赛后好几户开始互相送花苗。",
        "各楼栋",
        &["睦邻活动"],
        Link::None,
    ),
    (
        250,
        By::Staff,
        "楼道美术馆：从12户到86户",
        "楼道美术馆已扩展到17个单元，参与家庭从最初的12户到86户。王阿姨说现在不用她找人了，居民自己来问能不能挂画。项目已经形成自己的运营节奏。",
        "3号楼",
        &["微创投"],
        Link::Case("C10"),
    ),
    (
        263,
        By::Grid,
        "垃圾分类：混投少了七成",
        "督导三个月后统计，2号投放点混投比起开始时少了近七成。智能监控提醒加上志愿者上门，比单纯罚款有效。也有个别住户始终不配合，需要换个方法。",
        "2号投放点",
        &["垃圾分类"],
        Link::Case("C32"),
    ),
    (
        277,
        By::Staff,
        "反思：60岁以上只有23%会用小程序",
        "满意度调查显示，60岁以上居民中只有23%能熟练用小程序反馈诉求。老年人的需求因此表达不充分。代际数字桥梁要从周六课堂扩展到日常陪伴，工具本身也要更适老。",
        "居委会办公室",
        &["独居老人", "代际互助"],
        Link::None,
    ),
    (
        292,
        By::Grid,
        "李奶奶当上楼栋银发辅导员",
        "以前拒绝智能门锁的李奶奶，现在是5号楼的银发辅导员，每周三下午在楼下教老姐妹用手机。她说：\"我学得慢，所以知道她们卡在哪里。\"",
        "5号楼",
        &["独居老人", "代际互助"],
        Link::None,
    ),
    (
        318,
        By::Staff,
        "年终回顾：412件诉求和一个开放的问题",
        "一年受理诉求412件，响应及时率93%。四方会谈解决了积压多年的健身器材问题，但商户的出席率在下降，业委会的专业能力还要培养。老龄化越来越快，社区实践怎样让老人不只是被服务的对象？",
        "居委会办公室",
        &["议事协商"],
        Link::None,
    ),
];

/// The talk whose item title holds `word`, closest to `at` (document id).
fn talk_with(
    talks: &[(DocumentId, Millis, Vec<String>)],
    word: &str,
    at: Millis,
) -> Option<String> {
    talks
        .iter()
        .filter(|(_, _, items)| items.iter().any(|t| t.contains(word)))
        .min_by_key(|(_, day, _)| (day - at).abs())
        .map(|(id, _, _)| id.to_string())
}

/// Every talk with its day and its items' titles.
fn talks(ctx: &mut HubCtx<'_>) -> Vec<(DocumentId, Millis, Vec<String>)> {
    let ids: Vec<DocumentId> = ctx
        .relay
        .documents()
        .filter(|(_, m)| m.scope.kind == Some(DocKind::Talk))
        .map(|(id, _)| *id)
        .collect();
    ids.into_iter()
        .filter_map(|id| {
            let t = Talk::read(&ctx.relay.document(ctx.store, &id).ok()??).ok()?;
            let day = linli_shared::domain::community::calendar::parse_date(&t.date)?;
            let at = linli_shared::time::shanghai_day_start(day);
            Some((id, at, t.items.into_iter().map(|i| i.title).collect()))
        })
        .collect()
}

/// Every request with when it was filed and its title (the grid worker's grids first).
fn requests(ctx: &mut HubCtx<'_>) -> Vec<(DocumentId, Millis, String, bool)> {
    let ids: Vec<(DocumentId, bool)> = ctx
        .relay
        .documents()
        .filter(|(_, m)| m.scope.kind == Some(DocKind::Request))
        .map(|(id, m)| {
            let own = matches!(m.scope.grid.as_deref(), Some("g07" | "g08"));
            (*id, own)
        })
        .collect();
    ids.into_iter()
        .filter_map(|(id, own)| {
            let r = Request::read(&ctx.relay.document(ctx.store, &id).ok()??).ok()?;
            Some((id, r.filed_at, r.title, own))
        })
        .collect()
}

/// The request whose title holds `word` (of the grid worker's grids if any), closest to `at`.
fn request_with(
    requests: &[(DocumentId, Millis, String, bool)],
    word: &str,
    at: Millis,
) -> Option<String> {
    requests
        .iter()
        .filter(|(_, _, title, _)| title.contains(word))
        .min_by_key(|(_, filed, _, own)| (!own, (filed - at).abs()))
        .map(|(id, _, _, _)| id.to_string())
}

/// Writes one note, as `by` (id, name) wrote it at `written`.
fn write(
    ctx: &mut HubCtx<'_>,
    id: DocumentId,
    draft: NoteDraft,
    by: (&str, &str),
    written: Millis,
) -> Result<(), SeedError> {
    let outs = ctx.relay.local_change(ctx.store, id, |d| {
        NoteCommand::Create {
            draft: Box::new(draft),
            by: by.0.into(),
            by_name: by.1.into(),
        }
        .apply(d, written)
    })?;
    ctx.emit(outs);
    Ok(())
}

fn draft(note: &Note, observed: Millis) -> NoteDraft {
    let (_, _, title, body, place, tags, _) = *note;
    NoteDraft {
        title: title.into(),
        body: body.into(),
        date: format_day(shanghai_day(observed)),
        place: place.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..NoteDraft::default()
    }
}

/// The demo's 38 notes, over the year before `now`: by `staff`, `grid` (the grid worker of
/// grids 7 and 8) and `volunteer` (id, name each), linked to the demo's talks and requests.
pub(super) fn seed_demo(
    ctx: &mut HubCtx<'_>,
    staff: (&str, &str),
    grid: (&str, &str),
    volunteer: (&str, &str),
    now: Millis,
    ids: &mut dyn FnMut() -> DocumentId,
) -> Result<(), SeedError> {
    let talks = talks(ctx);
    let requests = requests(ctx);
    let start = now - 330 * DAY;
    for note in &NOTES {
        let (day, by, ..) = *note;
        // Noon of the day it describes; written that evening (the last one this morning).
        let observed = (start + day * DAY).min(now - 2 * HOUR);
        let mut d = draft(note, observed);
        let observed = d.observed_at(now).unwrap_or(observed);
        match note.6 {
            Link::None => {}
            Link::Talk(w) => d.talk = talk_with(&talks, w, observed).unwrap_or_default(),
            Link::Request(w) => {
                d.request = request_with(&requests, w, observed).unwrap_or_default()
            }
            Link::Case(c) => d.case = c.into(),
        }
        let author = match by {
            By::Staff => staff,
            By::Grid => grid,
            By::Volunteer => volunteer,
        };
        let written = (observed + 8 * HOUR).min(now - HOUR).max(observed);
        write(ctx, ids(), d, author, written)?;
    }
    Ok(())
}

/// `years` years of notes ending at `end` for the benchmark community: the year's 38 again
/// each year, by the grids' workers (grid, person, name) and `staff`, unlinked.
pub(super) fn seed_scale(
    ctx: &mut HubCtx<'_>,
    staff: (&str, &str),
    workers: &[(String, String, String)],
    years: i64,
    end: Millis,
    rng: &mut Rng,
) -> Result<(), SeedError> {
    let start = end - years * 365 * DAY;
    for year in 0..years {
        for note in &NOTES {
            let (day, by, ..) = *note;
            let observed = start + year * 365 * DAY + day * DAY + 12 * HOUR;
            let author = if by == By::Staff || workers.is_empty() {
                staff
            } else {
                let (_, p, n) = &workers[rng.below(workers.len() as u64) as usize];
                (p.as_str(), n.as_str())
            };
            let d = draft(note, observed);
            write(ctx, rng.id(), d, author, observed + 6 * HOUR)?;
        }
    }
    Ok(())
}
