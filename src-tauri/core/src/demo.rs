//! The demo campaign (`shifan demo`, `make demo`): a realistic district on the embedded demo
//! system, for trying the app and for screenshots. It lives in its own data folder: the
//! function refuses a folder that already holds a user's campaigns, so demo data never mixes
//! with real work. Later features add their demo data here.

use crate::error::{Error, Result};
use crate::model::{CampaignInfo, NewCampaign};
use crate::workspace::Workspace;

/// District name used by the demo.
pub const DEMO_DISTRICT: &str = "演示区";

pub fn create(ws: &mut Workspace) -> Result<CampaignInfo> {
    let existing = ws.list_campaigns()?;
    if existing.iter().any(|c| c.district != DEMO_DISTRICT) {
        return Err(Error::Invalid(format!(
            "数据文件夹“{}”中已有正式创建项目，演示数据不能混入。请用 --data-dir 指定一个新的文件夹存放演示项目。",
            ws.data_dir().display()
        )));
    }
    if let Some(c) = existing.into_iter().next() {
        return ws.switch_campaign(c.id);
    }
    ws.create_campaign(&NewCampaign {
        district: DEMO_DISTRICT.into(),
        name: Some("演示区法治政府建设示范创建（演示数据）".into()),
        level: Some("省级".into()),
        system_key: Some("demo".into()),
        system_file: None,
    })
}
